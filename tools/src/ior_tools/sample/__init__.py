"""The sample company: a deterministic generator of SAP extracts and legacy CSVs (DOMAIN §8).

`generate(out_dir, seed=7, days=5, lines_per_day=None, start=2026-03-30, faults=Faults(),
fiscal_year_boundary=True)` writes, byte for byte the same for the same arguments, the business days
from `start` and (with `fiscal_year_boundary`) the two either side of 1 October 2025, where FY2025's
fee figures give way to FY2026's:

    <out>/
      manifest.json                      what was generated and what the pipeline should find in it
      sap/                               the seven SAP extracts, one JSON object per line, sorted by key
        ZFMIOR001.jsonl                  company HTS table (STAWN, STTXT, ZZRATE, ZZUNIT)
        ZFMIOR002.jsonl                  weights and metal content per material
        ZFMIOR003.jsonl                  chapter 99 provisions, one row per provision
        ZEMM005.jsonl                    material master (FERT/HAWA goods, VERP packaging)
        ZEMM004.jsonl                    supplier invoice items
        ZEMM07.jsonl                     exchange rates
        ZSDR002.jsonl                    intercompany billing items of every business day
      legacy/                            the analysts' CSVs, in the formats legacy-formats.md pins
        reference/Product_List.csv
        reference/HTS_Code.csv
        reference/HTS Tariff.csv
        reference/Packaging_Material.csv
        reference/Exchange_Rates.csv
        <YYYY-MM-DD>/Invoice_Lines.csv   one per business (arrival) date

Field names, keys and incremental date fields of the SAP extracts are in `sap_fields`. SAP values are
canonical strings (ISO dates, plain decimals, 18-digit MATNR, `""` for blank); the mock SAP turns
dates into `/Date(ms)/`. The manifest lists the business dates, counts per extract and CSV, the
SHA-256 of every file, the expected outcome per day, the four documented disagreements between SAP
and the CSVs with the comparison differences each one causes, and any faults injected on request.
Only billing lines grow with `lines_per_day`; master data is the same at every scale."""

from ior_tools.sample.faults import Faults, MissingRate
from ior_tools.sample.generator import DEFAULT_START, SampleError, generate
from ior_tools.sample.manifest import Manifest

__all__ = ["DEFAULT_START", "Faults", "Manifest", "MissingRate", "SampleError", "generate"]
