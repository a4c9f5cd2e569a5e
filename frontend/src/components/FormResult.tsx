/** What became of a form's request: a status when it was taken, an alert when it was refused. */
export function FormResult({ result }: { result: { ok: boolean; text: string } | null }) {
  if (!result) return null;
  return (
    <p role={result.ok ? "status" : "alert"} className={`full message ${result.ok ? "message-ok" : "message-error"}`}>
      {result.text}
    </p>
  );
}
