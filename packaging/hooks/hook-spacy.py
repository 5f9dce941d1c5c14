# PyInstaller hook of spaCy, in place of pyinstaller-hooks-contrib's (user hooks take
# precedence): the same data files and submodules (spaCy's compiled modules import each other
# out of the module graph's sight, and languages load lazily), without spaCy's own test suite.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("spacy", excludes=["**/tests", "**/tests/**"])
hiddenimports = collect_submodules("spacy", filter=lambda name: not name.startswith("spacy.tests"))
