import type { FileProblems } from "./upload";

/** One file's problems: every one counted by rule, the first ones listed in full, and how many more there are. */
export function ProblemList({ problems }: { problems: FileProblems }) {
  const { file, listed, total, byRule, unlisted, stoppedAtRow } = problems;
  return (
    <div className="problems">
      <p>
        <strong>
          {stoppedAtRow !== null ? "At least " : ""}
          {total} problem(s) in {file}
        </strong>
        {stoppedAtRow !== null && <> (the check stopped after row {stoppedAtRow})</>}
      </p>
      <ul aria-label={`Problems in ${file} by kind`} className="problem-kinds">
        {byRule.map(([rule, count]) => (
          <li key={rule}>
            <span className="mono">{rule}</span>: {count}
          </li>
        ))}
      </ul>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={`Problems listed in ${file}`}>
        <table className="compact">
          <caption>
            {unlisted > 0 ? `The first ${listed.length} of ${total}` : `All ${listed.length}`} problem(s) in {file}
          </caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Column</th>
              <th scope="col">Kind</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((p, i) => (
              <tr key={`${p.row}-${p.column}-${i}`}>
                <td>{p.row ?? "whole file"}</td>
                <td>{p.column ?? "—"}</td>
                <td className="mono">{p.rule}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {unlisted > 0 && (
        <p className="muted">
          {unlisted} more problem(s) not listed: they are counted by kind above. Fix these and upload again.
        </p>
      )}
    </div>
  );
}
