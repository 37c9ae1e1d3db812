"""Domain exceptions and the one table that maps them to HTTP.

Domain code raises these bare exceptions; ``api.make_resolver`` turns every one of them into
API.md's error shape ``{"error": {"code", "message", "details"}}`` with the status below. The
``code`` is the contract; the message is for people, in English or Hindi.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, ClassVar


class DomainError(Exception):
    """Base of every error a client may see. Subclasses fix the HTTP status and a default code."""

    status: ClassVar[HTTPStatus] = HTTPStatus.INTERNAL_SERVER_ERROR
    default_code: ClassVar[str] = "internal_error"

    def __init__(self, code: str | None = None, message: str | None = None, details: list[Any] | None = None):
        self.code = code or self.default_code
        self.message = message
        self.details = details or []
        super().__init__(message or self.code)

    @property
    def headers(self) -> dict[str, str]:
        """Response headers this error adds (``Retry-After``)."""
        return {}


class BadRequest(DomainError):
    status = HTTPStatus.BAD_REQUEST
    default_code = "bad_request"


class Unauthorized(DomainError):
    status = HTTPStatus.UNAUTHORIZED
    default_code = "unauthorized"


class Forbidden(DomainError):
    status = HTTPStatus.FORBIDDEN
    default_code = "forbidden"


class NotFound(DomainError):
    status = HTTPStatus.NOT_FOUND
    default_code = "not_found"


class Conflict(DomainError):
    status = HTTPStatus.CONFLICT
    default_code = "conflict"


class PayloadTooLarge(DomainError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


class Unprocessable(DomainError):
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    default_code = "validation_error"


class Throttled(DomainError):
    status = HTTPStatus.TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(
        self,
        code: str | None = None,
        message: str | None = None,
        details: list[Any] | None = None,
        *,
        retry_after_s: int | None = None,
    ):
        super().__init__(code, message, details)
        self.retry_after_s = retry_after_s

    @property
    def headers(self) -> dict[str, str]:
        return {} if self.retry_after_s is None else {"Retry-After": str(self.retry_after_s)}


class DependencyFailed(DomainError):
    """A dependency (DynamoDB, S3, Secrets Manager, Step Functions) failed: safe to retry."""

    status = HTTPStatus.SERVICE_UNAVAILABLE
    default_code = "dependency_unavailable"


# Human messages per code: (English, Hindi). A code missing here falls back to its class default.
MESSAGES: dict[str, tuple[str, str]] = {
    "bad_request": ("The request is malformed.", "अनुरोध सही प्रारूप में नहीं है।"),
    "malformed_json": ("The body is not valid JSON.", "अनुरोध का मुख्य भाग मान्य JSON नहीं है।"),
    "body_not_object": ("The body must be a JSON object.", "अनुरोध का मुख्य भाग JSON ऑब्जेक्ट होना चाहिए।"),
    "unauthorized": ("Sign in to use this service.", "इस सेवा के लिए साइन इन करें।"),
    "invalid_signature": (
        "The request signature is missing or invalid.",
        "अनुरोध का हस्ताक्षर गायब या अमान्य है।",
    ),
    "forbidden": ("You are not allowed to do this.", "आपको यह करने की अनुमति नहीं है।"),
    "unsupported_domain": (
        "This ONDC domain is not served here.",
        "यह ONDC डोमेन यहाँ उपलब्ध नहीं है।",
    ),
    "context_mismatch": (
        "The Beckn context does not match this request.",
        "Beckn context इस अनुरोध से मेल नहीं खाता।",
    ),
    "bap_uri_mismatch": (
        "The bap_uri is not the URL this buyer app registered.",
        "bap_uri वह URL नहीं है जो इस खरीदार ऐप ने पंजीकृत किया है।",
    ),
    "banned": (
        "This identity is permanently banned from Seva Mitra.",
        "यह पहचान सेवा मित्र से स्थायी रूप से प्रतिबंधित है।",
    ),
    "not_found": ("Nothing was found with that id.", "इस आईडी से कुछ नहीं मिला।"),
    "route_not_found": ("There is no such route.", "ऐसा कोई मार्ग नहीं है।"),
    "method_not_allowed": (
        "This route does not accept that method.",
        "यह मार्ग इस विधि को स्वीकार नहीं करता।",
    ),
    "conflict": ("The request conflicts with the current state.", "अनुरोध वर्तमान स्थिति से मेल नहीं खाता।"),
    "duplicate_identity": (
        "This Aadhaar or mobile number is already registered.",
        "यह आधार या मोबाइल नंबर पहले से पंजीकृत है।",
    ),
    "already_registered": (
        "This account is already registered as a professional.",
        "यह खाता पहले से एक पेशेवर के रूप में पंजीकृत है।",
    ),
    "already_approved": ("This agency is already approved.", "यह एजेंसी पहले से स्वीकृत है।"),
    "request_in_progress": (
        "A request with this Idempotency-Key is still in progress. Retry shortly.",
        "इस Idempotency-Key वाला अनुरोध अभी प्रक्रिया में है। थोड़ी देर बाद प्रयास करें।",
    ),
    "documents_missing": ("Required documents have not been uploaded.", "आवश्यक दस्तावेज़ अपलोड नहीं किए गए हैं।"),
    "invalid_cursor": (
        "This page cursor is not valid here; start again from the first page.",
        "यह पेज कर्सर यहाँ मान्य नहीं है; पहले पेज से फिर शुरू करें।",
    ),
    "documents_locked": (
        "Documents cannot be changed once submitted; upload again only if the check sends them back.",
        "जमा करने के बाद दस्तावेज़ बदले नहीं जा सकते। जाँच में दस्तावेज़ लौटाए जाने पर ही दोबारा अपलोड करें।",
    ),
    "professional_unavailable": (
        "The professional is not available for this booking.",
        "यह पेशेवर इस बुकिंग के लिए उपलब्ध नहीं है।",
    ),
    "invalid_transition": ("That step is not allowed now.", "यह कदम अभी संभव नहीं है।"),
    "already_rated": ("This booking has already been rated.", "इस बुकिंग को पहले ही रेटिंग दी जा चुकी है।"),
    "complaint_exists": (
        "An open complaint of this kind already exists for this booking.",
        "इस बुकिंग पर इस प्रकार की शिकायत पहले से खुली है।",
    ),
    "already_decided": ("This has already been decided.", "इस पर पहले ही निर्णय हो चुका है।"),
    "complaint_not_allowed": (
        "A complaint of this kind cannot be made about a booking in its current state.",
        "इस स्थिति वाली बुकिंग पर इस प्रकार की शिकायत नहीं की जा सकती।",
    ),
    "already_responded": (
        "A response to this complaint has already been given.",
        "इस शिकायत का उत्तर पहले ही दिया जा चुका है।",
    ),
    "response_window_closed": (
        "The time to respond to this complaint has passed.",
        "इस शिकायत का उत्तर देने का समय समाप्त हो गया है।",
    ),
    "response_window_open": (
        "The professional may still respond to this complaint; decide after respond_by or once they answer.",
        "पेशेवर अभी इस शिकायत का उत्तर दे सकते हैं; respond_by के बाद या उनके उत्तर के बाद निर्णय करें।",
    ),
    "payment_already_recorded": (
        "What you paid for this booking is already recorded.",
        "इस बुकिंग के लिए आपका भुगतान पहले ही दर्ज है।",
    ),
    "too_many_expenses": (
        "This booking already has the most expense claims allowed.",
        "इस बुकिंग पर अधिकतम खर्च दावे पहले ही दर्ज हैं।",
    ),
    "unknown_request": ("There is no such verification request.", "ऐसा कोई सत्यापन अनुरोध नहीं है।"),
    "request_closed": (
        "This verification request is closed; the professional must resubmit.",
        "यह सत्यापन अनुरोध बंद हो चुका है; पेशेवर को दोबारा जमा करना होगा।",
    ),
    "payload_too_large": ("The request body is too large.", "अनुरोध का आकार बहुत बड़ा है।"),
    "request_timeout": (
        "The request did not arrive in time. Send it again.",
        "अनुरोध समय पर नहीं पहुँचा। कृपया दोबारा भेजें।",
    ),
    "validation_error": ("Some fields are invalid.", "कुछ फ़ील्ड अमान्य हैं।"),
    "out_of_service_area": (
        "The location is outside the Uttar Pradesh service area.",
        "यह स्थान उत्तर प्रदेश सेवा क्षेत्र से बाहर है।",
    ),
    "unknown_district": (
        "The district is not one of Uttar Pradesh's districts (see GET /districts).",
        "यह ज़िला उत्तर प्रदेश के ज़िलों में नहीं है।",
    ),
    "wrong_start_code": ("The start code is wrong.", "प्रारंभ कोड गलत है।"),
    "start_code_locked": (
        "Too many wrong start codes: this booking can no longer start. Cancel it and book again.",
        "बहुत बार गलत प्रारंभ कोड डाला गया: यह बुकिंग अब शुरू नहीं हो सकती। इसे रद्द करके दोबारा बुक करें।",
    ),
    "unknown_service": ("There is no such service on the rate card.", "दर सूची में ऐसी कोई सेवा नहीं है।"),
    "idempotency_key_reused": (
        "This Idempotency-Key was already used with a different request.",
        "यह Idempotency-Key पहले किसी दूसरे अनुरोध के साथ उपयोग हो चुकी है।",
    ),
    "throttled": ("Too many requests. Try again shortly.", "बहुत अधिक अनुरोध। थोड़ी देर बाद प्रयास करें।"),
    "too_many_open_requests": (
        "You already have the most bookings allowed waiting for a professional's answer. "
        "Wait for an answer, or cancel one, before booking again.",
        "पेशेवर के उत्तर की प्रतीक्षा वाली अधिकतम बुकिंग आपके पास पहले से हैं। "
        "नई बुकिंग से पहले किसी उत्तर की प्रतीक्षा करें या एक बुकिंग रद्द करें।",
    ),
    "dependency_unavailable": (
        "A service is temporarily unavailable. It is safe to retry.",
        "एक सेवा अस्थायी रूप से उपलब्ध नहीं है। दोबारा प्रयास करना सुरक्षित है।",
    ),
    "internal_error": ("Something went wrong on our side.", "हमारी ओर से कुछ गड़बड़ हुई।"),
    # jobs
    "below_minimum_wage": (
        "The wage is below Uttar Pradesh's minimum wage for this work (the floor is in details).",
        "यह मज़दूरी इस काम के लिए उत्तर प्रदेश की न्यूनतम मज़दूरी से कम है (न्यूनतम दर details में है)।",
    ),
    "household_work_only": (
        "Citizens may post household work only (cook, aaya, driver, tutor; up to 5 positions). "
        "Employers and approved agencies may post any work.",
        "नागरिक केवल घरेलू काम (रसोइया, आया, ड्राइवर, ट्यूटर; अधिकतम 5 पद) पोस्ट कर सकते हैं। "
        "नियोक्ता और स्वीकृत एजेंसियाँ कोई भी काम पोस्ट कर सकती हैं।",
    ),
    "verified_professionals_only": (
        "Only a verified professional (or whoever manages one) may do this.",
        "यह केवल सत्यापित पेशेवर (या उनका प्रबंधन करने वाले) कर सकते हैं।",
    ),
    "already_applied": (
        "This professional has already applied to this job.",
        "यह पेशेवर इस काम के लिए पहले ही आवेदन कर चुके हैं।",
    ),
    "service_not_offered": (
        "The professional does not offer this job's service.",
        "यह पेशेवर इस काम की सेवा प्रदान नहीं करते।",
    ),
    "job_too_far": (
        "The job's site is farther than 3 km from the professional.",
        "काम का स्थान पेशेवर से 3 किमी से अधिक दूर है।",
    ),
    "job_not_open": ("This job is no longer open.", "यह काम अब खुला नहीं है।"),
    "job_filled": (
        "Every position of this job has been filled.",
        "इस काम के सभी पद भर चुके हैं।",
    ),
    "no_application": (
        "Offers go to professionals who applied, and only once per application.",
        "प्रस्ताव केवल आवेदन करने वाले पेशेवरों को, प्रति आवेदन एक बार, दिया जा सकता है।",
    ),
    "already_engaged": (
        "The professional already has an active full-time engagement.",
        "इस पेशेवर के पास पहले से एक सक्रिय पूर्णकालिक काम है।",
    ),
    "attendance_exists": (
        "Attendance for this day is already recorded.",
        "इस दिन की उपस्थिति पहले ही दर्ज है।",
    ),
    "already_disputed": (
        "This day's attendance is already disputed.",
        "इस दिन की उपस्थिति पर आपत्ति पहले ही दर्ज है।",
    ),
    "dispute_window_closed": (
        "Attendance can be disputed only within 7 days of being recorded.",
        "उपस्थिति पर आपत्ति दर्ज होने के 7 दिनों के भीतर ही की जा सकती है।",
    ),
    # claiming an assisted registration
    "wrong_claim_code": (
        "The claim code is wrong, or it has expired: ask whoever registered you for a new one.",
        "दावा कोड गलत है या उसकी समय-सीमा समाप्त हो गई है: आपको पंजीकृत करने वाले से नया कोड माँगें।",
    ),
    "claim_locked": (
        "Too many wrong claim codes: ask whoever registered you for a new code.",
        "बहुत बार गलत दावा कोड डाला गया: आपको पंजीकृत करने वाले से नया कोड माँगें।",
    ),
    "already_claimed": (
        "This professional already has an account of their own.",
        "इस पेशेवर का अपना खाता पहले से है।",
    ),
    "no_registered_mobile": (
        "No mobile number is on record for this professional, so no code can be sent.",
        "इस पेशेवर का कोई मोबाइल नंबर दर्ज नहीं है, इसलिए कोड नहीं भेजा जा सकता।",
    ),
}


def message_for(code: str, language: str, override: str | None = None) -> str:
    """The human message for ``code``: Hindi when ``language`` is ``hi``; an explicit English
    override (a domain error's own message) wins only for English."""
    english, hindi = MESSAGES.get(
        code, MESSAGES["bad_request"] if code.startswith("bad") else MESSAGES["conflict"]
    )
    if language == "hi":
        return hindi
    return override or english


# --- field errors (details[].msg) -----------------------------------------------------------------

# Field error types whose code becomes the response's top-level code (most specific first); any
# other field error is validation_error.
FIELD_ERROR_CODES = ("out_of_service_area", "unknown_district")

# Hindi for each field error ``type`` (pydantic's own and the project's PydanticCustomErrors),
# formatted with the error's ``ctx``. English keeps pydantic's message. A type missing here falls
# back to FIELD_FALLBACK_HI, so no Hindi response carries an English field message.
FIELD_MESSAGES_HI: dict[str, str] = {
    "missing": "यह फ़ील्ड आवश्यक है।",
    "extra_forbidden": "यह फ़ील्ड स्वीकार नहीं है।",
    "string_type": "यहाँ पाठ होना चाहिए।",
    "string_too_short": "कम से कम {min_length} अक्षर होने चाहिए।",
    "string_too_long": "अधिकतम {max_length} अक्षर हो सकते हैं।",
    "string_pattern_mismatch": "यह मान सही प्रारूप में नहीं है।",
    "string_unicode": "यह मान मान्य पाठ नहीं है।",
    "int_type": "यहाँ पूर्ण संख्या होनी चाहिए।",
    "int_parsing": "यहाँ पूर्ण संख्या होनी चाहिए।",
    "int_from_float": "यहाँ दशमलव के बिना पूर्ण संख्या होनी चाहिए।",
    "float_type": "यहाँ संख्या होनी चाहिए।",
    "float_parsing": "यहाँ संख्या होनी चाहिए।",
    "finite_number": "यहाँ एक सीमित संख्या होनी चाहिए।",
    "bool_type": "यहाँ हाँ या नहीं (सत्य/असत्य) मान होना चाहिए।",
    "bool_parsing": "यहाँ हाँ या नहीं (सत्य/असत्य) मान होना चाहिए।",
    "greater_than": "मान {gt} से अधिक होना चाहिए।",
    "greater_than_equal": "मान {ge} या उससे अधिक होना चाहिए।",
    "less_than": "मान {lt} से कम होना चाहिए।",
    "less_than_equal": "मान {le} या उससे कम होना चाहिए।",
    "multiple_of": "मान {multiple_of} का गुणज होना चाहिए।",
    "literal_error": "मान इनमें से एक होना चाहिए: {expected}",
    "enum": "मान इनमें से एक होना चाहिए: {expected}",
    "list_type": "यहाँ सूची होनी चाहिए।",
    "tuple_type": "यहाँ सूची होनी चाहिए।",
    "set_type": "यहाँ सूची होनी चाहिए।",
    "too_short": "कम से कम {min_length} प्रविष्टियाँ होनी चाहिए।",
    "too_long": "अधिकतम {max_length} प्रविष्टियाँ हो सकती हैं।",
    "dict_type": "यहाँ ऑब्जेक्ट होना चाहिए।",
    "model_type": "यहाँ ऑब्जेक्ट होना चाहिए।",
    "model_attributes_type": "यहाँ ऑब्जेक्ट होना चाहिए।",
    "dataclass_type": "यहाँ ऑब्जेक्ट होना चाहिए।",
    "json_invalid": "यह सही प्रारूप में नहीं है।",
    "json_type": "यह सही प्रारूप में नहीं है।",
    "date_type": "यहाँ तारीख़ होनी चाहिए।",
    "date_parsing": "यहाँ तारीख़ (वर्ष-माह-दिन) होनी चाहिए।",
    "date_from_datetime_parsing": "यहाँ तारीख़ (वर्ष-माह-दिन) होनी चाहिए।",
    "datetime_type": "यहाँ तारीख़ और समय होना चाहिए।",
    "datetime_parsing": "यहाँ तारीख़ और समय होना चाहिए।",
    "datetime_from_date_parsing": "यहाँ तारीख़ और समय होना चाहिए।",
    "timezone_aware": "समय के साथ समय क्षेत्र होना चाहिए।",
    "url_parsing": "यह मान्य वेब पता नहीं है।",
    "url_type": "यह मान्य वेब पता नहीं है।",
    "uuid_parsing": "यह मान्य पहचानकर्ता नहीं है।",
    "uuid_type": "यह मान्य पहचानकर्ता नहीं है।",
    "union_tag_invalid": "प्रकार इनमें से एक होना चाहिए: {expected_tags}",
    "union_tag_not_found": "प्रकार बताने वाला फ़ील्ड {discriminator} आवश्यक है।",
    "value_error": "यह मान मान्य नहीं है।",
    "assertion_error": "यह मान मान्य नहीं है।",
    # the project's own validators
    "out_of_service_area": "यह स्थान उत्तर प्रदेश सेवा क्षेत्र से बाहर है।",
    "unknown_district": "यह उत्तर प्रदेश का ज़िला नहीं है: ज़िलों की सूची से कोड या नाम चुनें।",
    "unknown_service": "यह सेवा दर सूची में नहीं है।",
    "qualification_required": "इन सेवाओं के लिए योग्यता आवश्यक है: {services}",
    "invalid_aadhaar": "आधार संख्या 12 अंकों की होनी चाहिए और 0 या 1 से शुरू नहीं हो सकती।",
    "aadhaar_checksum": "आधार संख्या सही नहीं है: उसका जाँच अंक मेल नहीं खाता।",
    "invalid_mobile": "मोबाइल नंबर 10 अंकों का होना चाहिए और 6, 7, 8 या 9 से शुरू होना चाहिए।",
    # jobs: the terms of a post and of attendance
    "piece_rate_per_piece": "पीस-रेट काम की मज़दूरी प्रति पीस होती है।",
    "pieces_per_day_required": "पीस-रेट काम के लिए प्रतिदिन बनने वाले पीस की संख्या आवश्यक है।",
    "piece_wage_needs_piece_rate": "प्रति पीस मज़दूरी केवल पीस-रेट काम के लिए है।",
    "pieces_per_day_not_allowed": "प्रतिदिन पीस की संख्या केवल पीस-रेट काम के लिए है।",
    "part_time_hours": "अंशकालिक काम प्रतिदिन 1 से {max_hours} घंटे का होता है।",
    "full_time_hours": "पूर्णकालिक काम प्रतिदिन {min_hours} से {max_hours} घंटे का होता है।",
    "starts_on_out_of_range": "आरंभ तिथि {earliest} से {latest} के बीच होनी चाहिए।",
    "ends_on_required": "अनुबंध के लिए समाप्ति तिथि आवश्यक है।",
    "ends_on_out_of_range": "समाप्ति तिथि आरंभ तिथि के बाद और उससे {max_days} दिनों के भीतर होनी चाहिए।",
    "attendance_date_out_of_range": "यह तारीख़ इस काम की अवधि में नहीं है, या अभी आई नहीं है।",
    "pieces_required": "प्रति पीस मज़दूरी वाले काम में उपस्थित दिन के पीस की संख्या आवश्यक है।",
    "pieces_not_allowed": "पीस की संख्या केवल प्रति पीस मज़दूरी वाले काम में उपस्थित दिन के लिए है।",
}
FIELD_FALLBACK_HI = "यह मान मान्य नहीं है।"


def field_message(error_type: str, english: str, context: dict[str, Any] | None, language: str) -> str:
    """``details[].msg`` of a field error: pydantic's English, or the Hindi for its type."""
    if language != "hi":
        return english
    template = FIELD_MESSAGES_HI.get(error_type, FIELD_FALLBACK_HI)
    try:
        return template.format(**{k: _shown(v) for k, v in (context or {}).items()})
    except (KeyError, IndexError, ValueError):
        return FIELD_FALLBACK_HI


def _shown(value: Any) -> str:
    """A context value in a Hindi message: pydantic's "'a', 'b' or 'c'" lists read "... या 'c'"."""
    if isinstance(value, str):
        return value.replace(" or ", " या ")
    return str(value) if isinstance(value, int | float) else "…"


def error_body(
    code: str, language: str, message: str | None = None, details: list[Any] | None = None
) -> dict:
    return {
        "error": {"code": code, "message": message_for(code, language, message), "details": details or []}
    }
