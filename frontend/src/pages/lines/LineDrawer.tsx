import { Drawer } from "../../components/Drawer";
import type { CustomsLine } from "../../api/types";
import { dollars, percent, wholeDollars } from "../../format";

/** Where a line came from: its invoice items with their materials, the dataset versions it was computed
 * from and the tariff provision behind each Chapter 99 number of its stack. */
export function LineDrawer({ line, onClose }: { line: CustomsLine; onClose: () => void }) {
  const datasets = Object.entries(line.lineage?.datasets ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Drawer title={`Line ${line.line} of entry ${line.entry_id}`} onClose={onClose}>
      <p>
        {line.description} — origin {line.origin}, {wholeDollars(line.value)} entered, duty {dollars(line.duty)}
      </p>
      <h3>HTS stack, in filing order</h3>
      <table className="compact">
        <caption className="sr-only">HTS numbers of the line with rate, duty and provision</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">HTS number</th>
            <th scope="col">Rate</th>
            <th scope="col">Duty</th>
            <th scope="col">Provision</th>
          </tr>
        </thead>
        <tbody>
          {line.stack.map((hts, index) => {
            const provisions = line.lineage?.provisions?.[hts];
            return (
              <tr key={hts}>
                <td>{index + 1}</td>
                <td className="mono">{hts}</td>
                <td>{percent(line.rates?.[hts])}</td>
                <td>{dollars(line.duties?.[hts])}</td>
                <td>
                  {provisions && provisions.length > 0
                    ? `tariff provision ${provisions.map((p) => `#${p}`).join(", ")}`
                    : hts === line.hts10
                      ? "classification (HTS reference)"
                      : "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>Invoice items</h3>
      <ul className="plain">
        {line.sources.map(([document, item], index) => {
          // A run published before lines carried their materials has none to show.
          const material = line.source_materials[index];
          return (
            <li key={`${document}/${item}`} className="mono">
              billing document {document}, item {item}
              {material != null && `, material ${material}`}
            </li>
          );
        })}
      </ul>
      <h3>Dataset versions</h3>
      <dl className="pairs">
        {datasets.map(([name, version]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd className="mono">{version}</dd>
          </div>
        ))}
      </dl>
    </Drawer>
  );
}
