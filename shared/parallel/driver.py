"""AML Pipeline Scheduler: the mini-batch driver of `type: parallel` steps.

Honours Azure ML's entry-script contract for `task.type: run_function`: imports the entry
script from the code folder (the working directory), calls `init()` once, `run(mini_batch)`
for the mini-batch and `shutdown()` if defined, with the step's `program_arguments` in
`sys.argv`. File input: `run()` gets a list of local file paths. Tabular input: a pandas
DataFrame. The rows `run()` returns (list items, or DataFrame rows joined by spaces) are
written one a line to the rows file. Standard library only, except pandas for tabular input.

    python amlsched_parallel_driver.py --entry-script score.py [--rows OUT]
        (--file PATH ... | --table CSV [--delimiter ,] [--no-header]) -- PROGRAM_ARGUMENTS...
"""
import importlib.util
import os
import sys
import traceback


def parse_args(argv):
    if "--" in argv:
        cut = argv.index("--")
        own, program = argv[:cut], argv[cut + 1:]
    else:
        own, program = argv, []
    opts = {"files": [], "table": None, "rows": None, "entry": None, "delimiter": ",", "header": True, "label": ""}
    i = 0
    while i < len(own):
        name = own[i]
        if name == "--no-header":
            opts["header"] = False
            i += 1
            continue
        if i + 1 >= len(own):
            raise SystemExit("amlsched driver: %s needs a value" % name)
        value = own[i + 1]
        if name == "--file":
            opts["files"].append(value)
        elif name == "--table":
            opts["table"] = value
        elif name == "--rows":
            opts["rows"] = value
        elif name == "--entry-script":
            opts["entry"] = value
        elif name == "--delimiter":
            opts["delimiter"] = value
        elif name == "--label":
            opts["label"] = value
        else:
            raise SystemExit("amlsched driver: unknown option %s" % name)
        i += 2
    if not opts["entry"]:
        raise SystemExit("amlsched driver: --entry-script is required")
    return opts, program


def load_entry(entry):
    path = os.path.abspath(entry)
    if not os.path.isfile(path):
        raise SystemExit("amlsched driver: entry_script %s is not in the code folder %s" % (entry, os.getcwd()))
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "run", None)):
        raise SystemExit("amlsched driver: entry_script %s defines no run(mini_batch)" % entry)
    return module


def read_table(opts):
    try:
        import pandas
    except ImportError:
        raise SystemExit(
            "amlsched driver: tabular (mltable) input needs pandas, which %s cannot import; "
            "install it (Debian: apt-get install python3-pandas) or set AMLSCHED_PYTHON to an interpreter that has it"
            % sys.executable
        )
    return pandas.read_csv(opts["table"], sep=opts["delimiter"], header=0 if opts["header"] else None)


def rows_of(result):
    if result is None:
        return []
    if hasattr(result, "itertuples") and hasattr(result, "columns"):
        return [" ".join(str(v) for v in row) for row in result.itertuples(index=False, name=None)]
    if isinstance(result, (list, tuple)):
        return [str(item) for item in result]
    raise TypeError("run() must return a list or a pandas DataFrame, got %s" % type(result).__name__)


def main():
    opts, program = parse_args(sys.argv[1:])
    sys.argv = [opts["entry"]] + program
    module = load_entry(opts["entry"])
    mini_batch = read_table(opts) if opts["table"] else list(opts["files"])
    if callable(getattr(module, "init", None)):
        module.init()
    try:
        result = module.run(mini_batch)
    finally:
        if callable(getattr(module, "shutdown", None)):
            module.shutdown()
    rows = rows_of(result)
    if opts["rows"]:
        folder = os.path.dirname(opts["rows"])
        if folder:
            os.makedirs(folder, exist_ok=True)
        tmp = opts["rows"] + ".part"
        with open(tmp, "w", encoding="utf-8", newline="\n") as out:
            for row in rows:
                out.write(row.replace("\n", " ") + "\n")
        os.replace(tmp, opts["rows"])
    print("amlsched driver: mini-batch %s: %d items in, %d rows out" % (opts["label"], len(mini_batch), len(rows)))


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        sys.exit(1)
