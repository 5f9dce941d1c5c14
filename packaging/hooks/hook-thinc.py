# PyInstaller hook of thinc (spaCy's machine-learning layer), in place of
# pyinstaller-hooks-contrib's: its data files and submodules, without its test suite.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("thinc", excludes=["**/tests", "**/tests/**"])
hiddenimports = collect_submodules("thinc", filter=lambda name: not name.startswith("thinc.tests"))
