"""Where the repository and the shared reference data are, for the engineer's tools."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
# The shared reference data beside the repository (official HTS, golden cases, legacy formats).
SHARED = REPO_ROOT.parent / "shared"
# The official HTS export, read by the local stack as its USITC source.
OFFICIAL_HTS = SHARED / "reference" / "hts" / "hts_2026_rev_10.json.gz"
# The dashboard's production build (`make frontend`), served at `/` by the local stack's API server.
FRONTEND_DIST = REPO_ROOT / "frontend" / "dist"
