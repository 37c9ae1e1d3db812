// The two forms a complaint's page asks for: a statement in one's own words (the professional's
// answer, their appeal) and an officer's decision with remarks (on the complaint, on the appeal).
import { html } from 'htm/preact';
import { Button } from '../components/Button.js';
import { Choices } from '../components/Choices.js';
import { ErrorSummary } from '../components/ErrorSummary.js';
import { TextArea } from '../components/Field.js';
import { useForm } from '../hooks.js';
import { t } from '../i18n.js';

// `words`: the message keys `<words>_missing`, `_label`, `_hint`, `_button`.
export function StatementForm({ words, send, onDone }) {
  const form = useForm({ text: '' });
  const submit = form.submit(async ({ text }) => {
    if (!text.trim()) return form.fail({ text: `${words}_missing` });
    await send(text.trim());
    await onDone();
  });
  return html`
    <form onSubmit=${submit} novalidate>
      <${ErrorSummary} errors=${form.summary} />
      <${TextArea} id="text" label=${t(`${words}_label`)} hint=${t(`${words}_hint`)} error=${form.errors.text}
        value=${form.values.text} onInput=${form.set('text')} maxlength="2000" />
      <${Button} busy=${form.busy}>${t(`${words}_button`)}<//>
    </form>
  `;
}

// `outcomes`: the decisions offered, labelled by `<labels>_<outcome>`.
export function DecisionForm({ outcomes, labels, send, onDone }) {
  const form = useForm({ decision: '', remarks: '' });
  const submit = form.submit(async ({ decision, remarks }) => {
    const problems = {};
    if (!decision) problems.decision = 'complaint.decision_missing';
    if (!remarks.trim()) problems.remarks = 'complaint.remarks_missing';
    if (Object.keys(problems).length) return form.fail(problems);
    await send({ decision, remarks: remarks.trim() });
    await onDone();
  });
  const options = outcomes.map((value) => ({ value, label: t(`${labels}_${value}`) }));
  return html`
    <form onSubmit=${submit} novalidate>
      <${ErrorSummary} errors=${form.summary} />
      <${Choices} id="decision" legend=${t('complaint.decision_legend')} error=${form.errors.decision} options=${options}
        value=${form.values.decision} onChange=${(v) => form.setValue('decision', v)} />
      <${TextArea} id="remarks" label=${t('complaint.remarks_label')} error=${form.errors.remarks}
        value=${form.values.remarks} onInput=${form.set('remarks')} maxlength="2000" />
      <${Button} busy=${form.busy}>${t('complaint.decide_button')}<//>
    </form>
  `;
}
