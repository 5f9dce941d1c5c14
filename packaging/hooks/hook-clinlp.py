# PyInstaller hook of clinlp (the Dutch clinical spaCy pipeline behind the urgency advice).
# clinlp registers its "clinlp" language and components with spaCy's registry when imported,
# reads its own version from its metadata (Clinlp.__init__), and loads context_rules.json from
# its package; spaCy (hook in pyinstaller-hooks-contrib) finds plug-ins through entry points.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata

datas = collect_data_files("clinlp")
# Entry points and versions read through importlib.metadata in the frozen app.
for name in ("clinlp", "spacy", "spacy-legacy", "spacy-loggers", "thinc"):
    datas += copy_metadata(name)
hiddenimports = collect_submodules(
    "clinlp",
    # Not used by Workbench: the evaluation metrics and the command line want extra packages.
    filter=lambda name: not name.startswith(("clinlp.metrics", "clinlp.cli")),
)
# Named only by entry points, which the module graph does not follow.
hiddenimports += collect_submodules("spacy_legacy") + collect_submodules("spacy_loggers")
