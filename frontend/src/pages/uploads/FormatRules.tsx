import type { UploadFormats } from "./upload";

/** What the pinned formats require, as the API says it: the rules of every file, then each file's header. */
export function FormatRules({ formats }: { formats: UploadFormats }) {
  return (
    <section aria-labelledby="up-formats" className="upload-formats">
      <h2 id="up-formats">What each file must be</h2>
      <p>
        Every file: <strong>{formats.encoding}</strong>, <strong>{formats.line_ending}</strong> line ends,{" "}
        <strong>{formats.separator === "," ? "comma" : formats.separator}</strong> separated.
      </p>
      <ul className="upload-rules">
        {formats.rules.map((rule) => (
          <li key={rule}>{rule}</li>
        ))}
      </ul>
      <table className="compact upload-format-table">
        <caption>The accepted file names and their header rows</caption>
        <thead>
          <tr>
            <th scope="col">File name</th>
            <th scope="col">Header row, exactly</th>
          </tr>
        </thead>
        <tbody>
          {formats.files.map((f) => (
            <tr key={f.filename}>
              <th scope="row" className="mono">
                {f.filename}
              </th>
              <td className="mono upload-header">{f.header.join(",")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
