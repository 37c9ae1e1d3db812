// Sign-up and sign-in with the mobile number, against the stage's Cognito user pool (the JSON API
// of the endpoint in config.json: the emulator locally, cognito-idp.<region>.amazonaws.com in AWS).
import { config } from './config.js';
import { fetchWithRetry, NetworkError } from './http.js';

export class CognitoError extends Error {
  /** type: Cognito's exception name without its namespace (NotAuthorizedException...). */
  constructor(type, message) {
    super(message || type);
    this.name = 'CognitoError';
    this.type = type;
  }
}

function endpoint() {
  const { cognito } = config();
  return cognito.endpoint || `https://cognito-idp.${cognito.region}.amazonaws.com/`;
}

async function call(operation, body) {
  let response;
  try {
    response = await fetchWithRetry(
      endpoint(),
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(body),
      },
      // Sign-in and confirmation can be repeated; a sign-up that may have happened cannot.
      { repeatable: operation !== 'SignUp' },
    );
  } catch (error) {
    if (error instanceof NetworkError) throw new CognitoError('NetworkError');
    throw error;
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const type = String(answer.__type || response.headers.get('x-amzn-ErrorType') || 'UnknownError');
    throw new CognitoError(type.split('#').pop().split(':')[0], answer.message);
  }
  return answer;
}

const clientId = () => config().cognito.clientId;

/** Tokens for a username (+91 mobile) and password: {IdToken, AccessToken, RefreshToken, ExpiresIn}. */
export async function signIn(username, password) {
  const answer = await call('InitiateAuth', {
    ClientId: clientId(),
    AuthFlow: 'USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
  if (!answer.AuthenticationResult) throw new CognitoError(answer.ChallengeName || 'ChallengeRequired');
  return answer.AuthenticationResult;
}

export async function refresh(refreshToken) {
  const answer = await call('InitiateAuth', {
    ClientId: clientId(),
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  return answer.AuthenticationResult;
}

export function signUp(username, password) {
  return call('SignUp', {
    ClientId: clientId(),
    Username: username,
    Password: password,
    UserAttributes: [{ Name: 'phone_number', Value: username }],
  });
}

export function confirmSignUp(username, code) {
  return call('ConfirmSignUp', { ClientId: clientId(), Username: username, ConfirmationCode: code });
}

export function resendCode(username) {
  return call('ResendConfirmationCode', { ClientId: clientId(), Username: username });
}
