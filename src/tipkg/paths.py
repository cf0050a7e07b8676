"""Where the project's edited inputs live, found from the repository root."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
QUERIES_DIR = ROOT / "queries"
COMPETENCY_DIR = QUERIES_DIR / "competency"
QC_DIR = QUERIES_DIR / "qc"
DATA_DIR = ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"
REFERENCE_DIR = DATA_DIR / "reference"
DIST_DIR = ROOT / "dist"
