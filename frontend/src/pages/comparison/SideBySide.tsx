import { Link } from "react-router";
import type { ExplainedDiscrepancy, ExplainedSide } from "../../api/types";
import { Badge } from "../../components/Badge";
import { Drawer } from "../../components/Drawer";
import { percent } from "../../format";
import { causeSentence, lineLabel, money, shownDelta, shownValue } from "./explained";

const SIDES = [
  ["expected", "Manual (expected)", "manual"],
  ["actual", "Automated (actual)", "automated"],
] as const;

function Stack({ side, caption }: { side: ExplainedSide; caption: string }) {
  return (
    <div className="compact-wrap" tabIndex={0} role="region" aria-label={caption}>
    <table className="compact">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">HTS number</th>
          <th scope="col">Rate</th>
          <th scope="col">Duty</th>
          <th scope="col">Provision rows</th>
        </tr>
      </thead>
      <tbody>
        {side.stack.map((n) => (
          <tr key={n.number}>
            <td className="mono">{n.number}</td>
            <td>{percent(n.rate)}</td>
            <td>{money(n.duty)}</td>
            <td>{n.provision_rows?.join(", ") ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

function Lineage({ side, date, mode, entryId }: { side: ExplainedSide; date: string; mode: string; entryId: string }) {
  const lineage = `/lines?${new URLSearchParams({ date, mode, entry: entryId })}`;
  return (
    <>
      <p>
        <Link to={lineage}>Open entry {entryId} in the {mode} lines</Link>
      </p>
      {side.sources.length > 0 && (
        <p>
          Invoice items:{" "}
          <span className="mono">
            {side.sources
              .map(([document, item], index) => {
                const material = side.source_materials[index];
                return material != null ? `${document}/${item} (material ${material})` : `${document}/${item}`;
              })
              .join(", ")}
          </span>
        </p>
      )}
      {Object.keys(side.datasets).length > 0 && (
        <ul className="plain">
          {Object.entries(side.datasets).map(([name, version]) => (
            <li key={name}>
              {name}: <span className="mono">{version}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The expected and actual line (or entry) together: fields, stacks, lineages, and the inputs that differ. */
export function SideBySide({
  found,
  businessDate,
  onClose,
}: {
  found: ExplainedDiscrepancy;
  businessDate: string;
  onClose: () => void;
}) {
  const where = found.level === "line" ? `${found.hts10} ${found.origin} ${found.part}` : "";
  return (
    <Drawer title={`Discrepancy ${found.id}: entry ${found.entry_id}, ${lineLabel(found)}`} onClose={onClose} wide>
      <p>
        <Badge tone={found.critical ? "bad" : "warn"}>{found.critical ? "critical" : "non-critical"}</Badge>{" "}
        <Badge tone="neutral">{found.outcome}</Badge> <span className="mono">{where}</span>
      </p>
      <h3>The cause in the inputs</h3>
      {found.input_differences.length === 0 ? (
        <p className="muted">
          No dataset row behind this {found.level} differs between the two runs' inputs that could be read; the
          difference comes from the processing or from datasets not compared here.
        </p>
      ) : (
        <ul className="causes">
          {found.input_differences.map((d) => (
            <li key={`${d.dataset}#${d.key}#${d.field}`}>{causeSentence(d)}</li>
          ))}
        </ul>
      )}
      {/* Focusable: on a phone the table scrolls sideways inside its frame, by keyboard too. */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Side-by-side values">
        <table>
          <caption>Every compared field, differing ones marked</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Manual (expected)</th>
              <th scope="col">Automated (actual)</th>
              <th scope="col">Delta</th>
              <th scope="col">Tolerance</th>
            </tr>
          </thead>
          <tbody>
            {found.fields.map((f) => (
              <tr key={f.field} className={f.differs ? "differs" : undefined}>
                <th scope="row" className="mono">
                  {f.field} {f.differs && <Badge tone={f.critical ? "bad" : "warn"}>differs</Badge>}
                </th>
                <td>{shownValue(f.field, f.expected, found.sides.expected)}</td>
                <td>{shownValue(f.field, f.actual, found.sides.actual)}</td>
                <td>{shownDelta(f)}</td>
                <td>{f.tolerance ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="two">
        {SIDES.map(([key, title, mode]) => {
          const side = found.sides[key];
          return (
            <section key={key} aria-label={title}>
              <h3>{title}</h3>
              {side === null ? (
                <p className="muted">No such {found.level} on this side ({found.outcome}).</p>
              ) : (
                <>
                  {side.stack.length > 0 && <Stack side={side} caption={`${title}: HTS stack`} />}
                  <Lineage side={side} date={businessDate} mode={mode} entryId={found.entry_id} />
                </>
              )}
            </section>
          );
        })}
      </div>
    </Drawer>
  );
}
