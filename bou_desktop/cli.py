"""The command line: a thin front on the core, headless, never importing Qt.

Exit codes: 0 success, 1 an input was refused (a Swedish message on stderr), 2 usage error.
Without a command, the GUI opens (imported only then).
"""

from __future__ import annotations

import argparse
import gc
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from . import APP_NAME, __version__

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

_ARGPARSE_SV = [
    (r"^the following arguments are required: (.*)$", r"följande argument krävs: \1"),
    (r"^unrecognized arguments: (.*)$", r"okända argument: \1"),
    (r"^argument (.*?): invalid int value: (.*)$", r"argumentet \1: ska vara ett heltal, inte \2"),
    (r"^argument (.*?): invalid choice: (.*?) \(choose from (.*)\)$", r"argumentet \1: ogiltigt val \2 (välj bland \3)"),
    (r"^argument (.*?): expected one argument$", r"argumentet \1: ett värde krävs"),
    (r"^one of the arguments (.*) is required$", r"ett av argumenten \1 krävs"),
    (r"^ambiguous option: (.*?) could match (.*)$", r"flaggan \1 är tvetydig: den kan vara \2"),
    (r"^argument (.*?): not allowed with argument (.*)$", r"\1 kan inte anges tillsammans med \2"),
]


class SwedishParser(argparse.ArgumentParser):
    """argparse with Swedish usage and error messages."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="visa den här hjälpen och avsluta")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "Användning:", 1)

    def format_help(self) -> str:
        text = super().format_help().replace("usage:", "Användning:", 1)
        text = text.replace("\noptions:\n", "\nflaggor:\n").replace("\npositional arguments:\n", "\nargument:\n")
        return text

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, replacement in _ARGPARSE_SV:
            message = re.sub(pattern, replacement, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fel: {message}\n")


class _NeedFullParser(Exception):
    """Raised by the options-only parser for anything it should not answer itself."""


class _OptionsParser(SwedishParser):
    """The program's options without the commands: enough to open the window (see parse_arguments).

    Help and errors are left to the full parser, so that they name the commands too.
    """

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _NeedFullParser(message)

    def print_help(self, file=None) -> None:
        raise _NeedFullParser("--help")


def _subcommands(parser, dest: str):
    """A command's second word ("VAD": round add, report text, export county), required."""
    return parser.add_subparsers(dest=dest, metavar="VAD", parser_class=SwedishParser, title="vad", required=True)


def build_parser(*, commands: bool = True) -> SwedishParser:
    common = (SwedishParser if commands else _OptionsParser)(prog="bou-desktop")
    common.description = (
        f"{APP_NAME} {__version__}: samla in och sammanställ SKL:s kartläggning om systematisk "
        "uppföljning av barn och unga i familjehem och HVB. Utan kommando öppnas programmet."
    )
    common.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}", help="visa versionen och avsluta")
    common.add_argument("--selftest", action="store_true",
                        help="kontrollera att programmet fungerar (formulär, databas, PDF, Excel, Word, Qt) och avsluta")
    common.add_argument("--db", metavar="FIL", type=Path, help="databasfil (standard: i användarens datamapp)")
    common.add_argument("--round", metavar="ÅR", type=int, help="omgång (år); standard: den senaste (för arbete per "
                        "kommun: den senaste som kommunerna besvarar)")
    common.add_argument("--form-id", metavar="ID", help="omgångens formulär-id, när flera enkäter har samma år "
                                                        "(t.ex. regionens egna enkät; standard: programmets)")
    common.add_argument("--demo", action="store_true", help="använd en separat demodatabas med påhittade svar")
    if not commands:
        return common
    commands = common.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=SwedishParser, title="kommandon")

    imp = commands.add_parser("import", help="importera svarsfiler, länssammanställningar (SKL) eller riksrapporten", description="Importera svarsfiler. Varje fil importeras för sig: en nekad fil ändrar ingenting.")
    imp.add_argument("files", nargs="+", metavar="FIL", type=Path, help="en eller flera svarsfiler (.xlsx, .json)")
    imp.add_argument("--replace", action="store_true", help="ersätt svar som ändrats i databasen sedan filen skapades")
    imp.add_argument("--other-region", action="store_true", help="ta emot svar från kommuner utanför din region")

    tpl = commands.add_parser("template", help="skapa tomma enkäter att fylla i (Excel) eller skriva ut (PDF)",
                              description="Skapa en tom enkät: .xlsx att fylla i och skicka tillbaka, eller .pdf att skriva ut.")
    where = tpl.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", metavar="FIL", type=Path, help="en fil, .xlsx eller .pdf")
    where.add_argument("--region", metavar="REGION", help="en Excel-fil per kommun i regionen (med --out-dir)")
    tpl.add_argument("--kommun", metavar="KOD", help="förifylld kommun (med --out)")
    tpl.add_argument("--out-dir", metavar="MAPP", type=Path, help="mapp för filerna (med --region)")
    tpl.add_argument("--overwrite", action="store_true", help="skriv över befintliga filer")

    bkp = commands.add_parser("backup", help="gör en säkerhetskopia av databasen nu, eller lista dem",
                              description="Gör en säkerhetskopia av databasen (mappen säkerhetskopior bredvid databasen).")
    bkp.add_argument("--list", action="store_true", help="lista säkerhetskopiorna i stället")
    rst = commands.add_parser("restore", help="återställ databasen från en säkerhetskopia",
                              description="Ersätt databasens innehåll med en säkerhetskopia; det nuvarande innehållet "
                                          "säkerhetskopieras först.")
    rst.add_argument("backup_file", metavar="FIL", type=Path, help="säkerhetskopian")
    rst.add_argument("--yes", action="store_true", help="bekräfta att databasens innehåll ska ersättas")
    purge = commands.add_parser("remove-personal-data", help="ta bort uppgiftslämnarnas namn och befattningar i en omgång",
                                description="Ta bort personuppgifterna (uppgiftslämnarnas namn och befattningar) i en "
                                            "avslutad omgång, även ur historiken och säkerhetskopiorna.")
    purge.add_argument("--reason", required=True, metavar="TEXT", help="varför (sparas i historiken)")
    purge.add_argument("--yes", action="store_true", help="bekräfta borttagningen (kan inte ångras)")

    rnd = commands.add_parser("round", help="starta en ny omgång eller lista omgångarna",
                              description="Omgångar: en enkät ett visst år. Formulärets text sparas med omgången i "
                                          "databasen, så att en senare ändrad fil aldrig ändrar en tidigare omgång.")
    rnd_what = _subcommands(rnd, "round_command")
    rnd_add = rnd_what.add_parser("add", help="starta en omgång med ett formulär",
                                  description="Starta en omgång: formuläret (en TOML-fil, se docs/forms.md) ett visst år. "
                                              "Samma formulär-id ett senare år är en senare omgång av samma enkät.")
    rnd_add.add_argument("--year", required=True, metavar="ÅR", type=int, help="omgångens år, t.ex. 2013")
    rnd_add.add_argument("--form", required=True, metavar="FIL", type=Path, help="formuläret som besvaras (.toml)")
    rnd_add.add_argument("--county-form", metavar="FIL", type=Path,
                         help="länsformuläret som sammanställer det (.toml); utan: det som passar, om något")
    rnd_what.add_parser("list", help="lista omgångarna", description="En rad per omgång: år, formulär och version, "
                                                                      "namn, länsformulär och antal svar.")

    rpt = commands.add_parser("report", help="SKL:s rapporttexter: skriv ett avsnitt eller en analys från en fil, "
                                             "eller visa dem",
                              description="Rapportens egna texter (förord, sammanfattning, analyser per fråga) för en "
                                          "omgång. De skrivs annars i programmet under Riket → Rapporttexter.")
    rpt_what = _subcommands(rpt, "report_command")
    rpt_text = rpt_what.add_parser("text", help="ersätt ett avsnitts eller en frågas analys med en fils text",
                                   description="Ersätt en rapporttext med innehållet i en textfil (UTF-8). En tom fil "
                                               "tömmer texten. Ändringen sparas i historiken.")
    target = rpt_text.add_mutually_exclusive_group(required=True)
    target.add_argument("--section", metavar="ID", help="avsnittets id i rapportmallen (se report show)")
    target.add_argument("--question", metavar="ID", help="frågans id: texten blir frågans analys")
    rpt_text.add_argument("--file", required=True, metavar="FIL", type=Path, help="textfilen (- läser från standard in)")
    rpt_what.add_parser("show", help="lista rapportens avsnitt och analyser med textens längd",
                        description="En rad per avsnitt i rapportmallen och per fråga med analys: id, rubrik och "
                                    "antal tecken.")

    exp = commands.add_parser("export", help="exportera svar", description="Exportera svar till fil.")
    what = _subcommands(exp, "what")
    response = what.add_parser("response", help="en kommuns svar som svarsfil eller PDF",
                               description="Skriv en kommuns svar: JSON, Excel (samma layout som enkäten) och/eller PDF.")
    response.add_argument("--kommun", required=True, metavar="KOD", help="kommunkod, t.ex. 0580")
    response.add_argument("--json", metavar="FIL", type=Path, help="skriv en JSON-svarsfil")
    response.add_argument("--xlsx", metavar="FIL", type=Path, help="skriv en Excel-svarsfil")
    response.add_argument("--pdf", metavar="FIL", type=Path, help="skriv svaret som PDF")
    response.add_argument("--overwrite", action="store_true", help="skriv över befintliga filer")

    county = what.add_parser("county", help="länssammanställningen (Bilaga 2) för en region",
                             description="Skriv länssammanställningen som Excel, PDF, JSON och/eller e-postutkast till SKL.")
    county.add_argument("--region", required=True, metavar="REGION", help="regionen, t.ex. Östergötland")
    county.add_argument("--xlsx", metavar="FIL", type=Path, help="Excel-fil (läses av SKL:s nationella import)")
    county.add_argument("--pdf", metavar="FIL", type=Path, help="PDF-fil")
    county.add_argument("--json", metavar="FIL", type=Path, help="JSON-fil")
    county.add_argument("--docx", metavar="FIL", type=Path, help="Word-fil (.docx) att redigera innan den skickas")
    county.add_argument("--eml", metavar="FIL", type=Path, help="e-postutkast (.eml) till SKL med Excel och PDF bifogade")
    county.add_argument("--to", metavar="ADRESS", help="mottagare (standard: SKL:s adress i profilen)")
    county.add_argument("--anonymous", action="store_true", help="utan kommunnamn vid citerade öppna svar")
    _add_compare_options(county)
    county.add_argument("--overwrite", action="store_true", help="skriv över befintliga filer")

    national = what.add_parser("national", help="den nationella sammanställningen (SKL)",
                               description="Skriv den nationella sammanställningen från de importerade länssammanställningarna.")
    national.add_argument("--xlsx", metavar="FIL", type=Path, help="Excel-fil")
    national.add_argument("--pdf", metavar="FIL", type=Path, help="PDF-fil")
    national.add_argument("--json", metavar="FIL", type=Path, help="JSON-fil (riksrapporten som länen importerar)")
    national.add_argument("--docx", metavar="FIL", type=Path,
                          help="SKL:s rapport som Word-fil (.docx): texterna, tabellerna, diagrammen och bilagorna")
    national.add_argument("--report-pdf", metavar="FIL", type=Path,
                          help="SKL:s rapport som PDF: samma innehåll som Word-filen, med innehållsförteckning och bokmärken")
    national.add_argument("--region", metavar="REGION", help="län i jämförelse med riket (Excel och PDF)")
    _add_compare_options(national)
    national.add_argument("--overwrite", action="store_true", help="skriv över befintliga filer")

    feedback = what.add_parser("feedback", help="återkoppling till kommunerna: kommunen jämförd med länet och riket",
                               description="Skriv PDF:en ”Er kommun i jämförelse med länet och riket”.")
    feedback_who = feedback.add_mutually_exclusive_group(required=True)
    feedback_who.add_argument("--kommun", metavar="KOD", help="en kommun (med --pdf)")
    feedback_who.add_argument("--region", metavar="REGION", help="alla kommuner i regionen som har svarat (med --out-dir)")
    feedback.add_argument("--pdf", metavar="FIL", type=Path, help="PDF-fil för en kommun")
    feedback.add_argument("--out-dir", metavar="MAPP", type=Path, help="mapp för en PDF per kommun")
    feedback.add_argument("--overwrite", action="store_true", help="skriv över befintliga filer")

    raw = what.add_parser("raw", help="rådata: en rad per kommun, med kodbok",
                          description="Skriv rådata: en rad per kommun, flerval som 0/1-kolumner, koder och etiketter, kodbok.")
    raw.add_argument("--region", metavar="REGION", help="bara en region (standard: alla)")
    raw_out = raw.add_mutually_exclusive_group(required=True)
    raw_out.add_argument("--xlsx", metavar="FIL", type=Path, help="Excel-fil med bladen Data och Kodbok")
    raw_out.add_argument("--csv", metavar="FIL", type=Path, help="CSV-fil (semikolon, UTF-8)")
    raw.add_argument("--anonymous", action="store_true", help="utan uppgiftslämnare och kommunnamn")
    raw.add_argument("--overwrite", action="store_true", help="skriv över en befintlig fil")
    raw.add_argument("--long", action="store_true",
                     help="lång tabell: en rad per värde (kommun, region, år, fråga, alternativ, värde), med kodbok")
    raw.add_argument("--all-rounds", action="store_true",
                     help="alla omgångar av enkäten fram till --round i en lång tabell (innebär --long)")
    return common


def _round(store, args, *, per_municipality: bool = False):
    """The round a command works on: `--round ÅR` and `--form-id ID`, else the store's default round
    (Store.default_round: per municipality the latest round a municipality answers; a year with two
    rounds names them instead of picking one)."""
    return store.default_round(args.round, args.form_id, per_municipality=per_municipality)


def _fail(message: str) -> int:
    print(f"bou-desktop: {message}", file=sys.stderr)
    return EXIT_REFUSED


def _database_path(args: argparse.Namespace) -> Path:
    from .paths import default_database, demo_database

    if args.db is not None:
        return args.db
    return demo_database() if args.demo else default_database()


def _settings():
    from .settings import load_settings

    return load_settings()


def _run_import(store, args) -> int:
    from .exchange.importer import Outcome, import_files

    settings = _settings()
    region = settings.region if settings.role == "ledare" and settings.region and not args.other_region else None
    results = import_files(store, args.files, replace=args.replace, region=region)
    for result in results:
        stream = sys.stdout if result.outcome in (Outcome.IMPORTED, Outcome.UNCHANGED) else sys.stderr
        print(result.line(), file=stream)
    refused = [r for r in results if r.outcome in (Outcome.REFUSED, Outcome.CONFLICT)]
    return EXIT_REFUSED if refused else EXIT_OK


def _run_backup(store, args) -> int:
    from .store.backup import list_backups, make_backup

    if store.path is None:
        return _fail("en databas i minnet kan inte säkerhetskopieras")
    if args.list:
        for backup in list_backups(store.path):
            print(f"{backup.label}: {backup.path}")
        return EXIT_OK
    print(f"Skrev {make_backup(store.path, 'manuell', connection=store.db.conn)}")
    return EXIT_OK


def _run_restore(args, parser) -> int:
    from .store.backup import BackupError, restore_backup

    if not args.yes:
        parser.error("återställning ersätter databasens innehåll; bekräfta med --yes")
    target = _database_path(args)
    try:
        before = restore_backup(args.backup_file, target)
    except BackupError as error:
        return _fail(str(error))
    print(f"Återställde {target} från {args.backup_file} (det tidigare innehållet finns i {before})")
    return EXIT_OK


def _run_purge(store, args, parser) -> int:
    from .store.backup import delete_backups, make_backup

    if not args.yes:
        parser.error("borttagningen kan inte ångras; bekräfta med --yes")
    round_ = _round(store, args)
    removed = store.remove_personal_data(round_, reason=args.reason, source="cli")
    print(f"Tog bort uppgiftslämnarnas namn och befattningar ur {removed} svar i omgången {round_.year}.")
    if store.path is not None:
        deleted = delete_backups(store.path)
        make_backup(store.path, "manuell", connection=store.db.conn)
        print(f"Tog bort {deleted} äldre säkerhetskopior som innehöll namnen och gjorde en ny.")
    return EXIT_OK


def _run_round(store, args) -> int:
    if args.round_command == "add":
        round_ = store.add_round(args.year, args.form, args.county_form, source="cli")
        form, county = store.form_of(round_), store.county_form_of(round_)
        print(f"Startade omgången {round_.year}: {form.id} version {form.version} ({args.form.name}), "
              + (f"länsformulär {county.id} version {county.version}." if county else "utan länsformulär."))
        return EXIT_OK
    for round_ in store.rounds():
        county = f"länsformulär {round_.county_form_id}" if round_.county_form_id else "utan länsformulär"
        count = len(store.statuses(round_))
        own = "\tregionens egen enkät (skickas inte till SKL)" if store.own_survey(round_) else ""
        print(f"{round_.year}\t{round_.form_id} {round_.form_version}\t{round_.title}\t{county}\t"
              f"{count} svar{own}")
    return EXIT_OK


def _run_report(store, args) -> int:
    from .survey.report import texts_outside

    round_ = _round(store, args)
    if args.report_command == "text":
        if str(args.file) == "-":
            text = sys.stdin.read()
        else:
            try:
                text = args.file.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                return _fail(f"{args.file} är inte en textfil i UTF-8; spara den som UTF-8 och försök igen")
            except OSError as error:
                return _fail(f"{args.file} kan inte läsas: {error.strerror or error}")
        kind, key = ("section", args.section) if args.section is not None else ("analysis", args.question)
        store.set_report_text(round_, kind, key, text, source="cli")
        what = f"avsnittet {key}" if kind == "section" else f"analysen till fråga {key}"
        print(f"{round_.title}: {what} har nu {len(text.strip())} tecken." if text.strip()
              else f"{round_.title}: {what} är tömt.")
        return EXIT_OK
    template = store.report_template(round_)
    texts = store.report_texts(round_)
    form = store.form_of(round_)
    print(f"{round_.title}: {template.title}" + (f" ({template.path.name})" if template.path else ""))
    for section in template.sections:
        indent = "  " * section.level
        print(f"{indent}{section.id}\t{section.heading}\t{_length(texts.section(section.id))}")
    print(f"  {template.analysis_label} ({sum(1 for q in form.questions if texts.analysis(q.id))} av "
          f"{len(form.questions)} frågor):")
    for question in form.questions:
        if texts.analysis(question.id):
            print(f"    {question.id}\t{question.number_text}\t{_length(texts.analysis(question.id))}")
    outside = texts_outside(template, texts, form.question_ids())
    if outside:
        print("  Texter utanför mallen (sparade, visas inte i rapporten):")
        for kind, key, text in outside:
            print(f"    {key}\t{'avsnitt' if kind == 'section' else 'analys'}\t{_length(text)}")
    return EXIT_OK


def _length(text: str) -> str:
    return f"{len(text.strip())} tecken" if text.strip() else "(tom)"


def _run_export(store, args, parser) -> int:
    if args.what == "county":
        return _run_export_county(store, args, parser)
    if args.what == "raw" and (args.long or args.all_rounds):
        return _run_export_raw_long(store, args)
    if args.what == "raw":
        from .exchange.raw_export import write_raw

        round_ = _round(store, args)
        region = store.region_named(args.region) if args.region else None
        try:
            path = write_raw(store, round_, args.xlsx or args.csv, region=region, anonymous=args.anonymous,
                             overwrite=args.overwrite)
        except ValueError as error:
            return _fail(str(error))
        print(f"Skrev {path}")
        return EXIT_OK
    if args.what == "national":
        return _run_export_national(store, args, parser)
    if args.what == "feedback":
        return _run_export_feedback(store, args, parser)
    return _run_export_response(store, args, parser)


def _run_export_raw_long(store, args) -> int:
    """Raw data as one long table: the round, or with --all-rounds every round of its survey up to it."""
    from .exchange.raw_long import survey_rounds, write_long

    round_ = _round(store, args)  # as every export: --form-id names the survey of a year with two rounds
    rounds = survey_rounds(store, round_) if args.all_rounds else [round_]
    if args.anonymous:
        return _fail("--anonymous finns inte för den långa tabellen; använd rådata för en omgång utan --long.")
    try:  # an unknown region is refused with the regions there are (StoreError)
        paths = write_long(store, rounds, args.xlsx or args.csv, region=args.region, overwrite=args.overwrite)
    except ValueError as error:
        return _fail(str(error))
    years = ", ".join(str(r.year) for r in rounds)
    print(f"Skrev {', '.join(str(p) for p in paths)} (omgångar: {years})")
    return EXIT_OK


def _add_compare_options(parser) -> None:
    """--compare ÅR | --no-compare: the round the figures are set beside (the county and national exports)."""
    compare = parser.add_mutually_exclusive_group()
    compare.add_argument("--compare", metavar="ÅR", type=int,
                         help="jämför med en tidigare omgång av samma enkät (standard: den föregående, om det finns någon)")
    compare.add_argument("--no-compare", action="store_true", help="ingen jämförelse med en tidigare omgång")


def _run_export_national(store, args, parser) -> int:
    from .exchange.fileio import write_bytes_atomic
    from .exchange.national_file import (
        PREVIOUS,
        national_comparison_for,
        national_json_bytes,
        national_xlsx_bytes,
        report_for,
    )
    from .store import StoreError

    if not (args.xlsx or args.pdf or args.json or args.docx or args.report_pdf):
        parser.error("ange minst en av --xlsx, --pdf, --json, --docx och --report-pdf")
    if args.region and (args.docx or args.report_pdf):
        parser.error("--docx och --report-pdf skriver hela rapporten och tar inte --region")
    round_ = _round(store, args)
    report = report_for(store, round_)
    form = store.form_of(round_)
    region = store.region_named(args.region) if args.region else None
    try:
        comparison = national_comparison_for(store, round_, None if args.no_compare else args.compare or PREVIOUS,
                                             report=report)
    except StoreError as error:
        return _fail(str(error))
    by = _settings().name
    if args.xlsx:
        write_bytes_atomic(args.xlsx, national_xlsx_bytes(report, form, region=region, exported_by=by,
                                                          comparison=comparison), overwrite=args.overwrite)
        print(f"Skrev {args.xlsx}")
    if args.pdf:
        from .exchange.national_pdf import national_pdf, region_vs_nation_pdf

        data = (region_vs_nation_pdf(report, form, region) if region
                else national_pdf(report, form, exported_by=by, comparison=comparison))
        write_bytes_atomic(args.pdf, data, overwrite=args.overwrite)
        print(f"Skrev {args.pdf}")
    if args.json:
        write_bytes_atomic(args.json, national_json_bytes(report, exported_by=by, comparison=comparison),
                           overwrite=args.overwrite)
        print(f"Skrev {args.json}")
    if args.docx:
        from .exchange.report_docx import national_docx_for

        write_bytes_atomic(args.docx, national_docx_for(store, round_, exported_by=by, report=report, comparison=comparison),
                           overwrite=args.overwrite)
        print(f"Skrev {args.docx}")
    if args.report_pdf:
        from .exchange.report_pdf import report_pdf_for

        data = report_pdf_for(store, round_, exported_by=by, comparison=comparison, report=report)
        write_bytes_atomic(args.report_pdf, data, overwrite=args.overwrite)
        print(f"Skrev {args.report_pdf}")
    if comparison is not None:
        print(f"Jämfört med {comparison.earlier_year}"
              + (f"; inte jämförbara frågor: {', '.join(q.label for q in comparison.not_comparable)}"
                 if comparison.not_comparable else ""))
    if report.missing:
        print(f"Saknas: {', '.join(report.missing)} (räknas som 0 svar)", file=sys.stderr)
    return EXIT_OK


def _run_export_feedback(store, args, parser) -> int:
    from .exchange.fileio import OverwriteRefused, safe_filename, write_bytes_atomic
    from .exchange.national_pdf import feedback_pdfs_for_region

    round_ = _round(store, args, per_municipality=True)
    national = store.national_document(round_)
    if national is None:
        print("Obs: ingen riksrapport är importerad; rikets siffror saknas i återkopplingen.", file=sys.stderr)
    if args.kommun:
        if not args.pdf:
            parser.error("--kommun skriver en fil och kräver --pdf")
        municipality = store.register.municipality(args.kommun.strip()) if args.kommun.strip() in {
            m.code for m in store.register.municipalities} else None
        if municipality is None:
            return _fail(f"Kommunkoden {args.kommun!r} finns inte i kommunregistret.")
        pdfs = feedback_pdfs_for_region(store, round_, municipality.region, national[0] if national else None)
        if municipality.code not in pdfs:
            return _fail(f"{municipality.name} har inget klart svar i omgången {round_.year}.")
        write_bytes_atomic(args.pdf, pdfs[municipality.code], overwrite=args.overwrite)
        print(f"Skrev {args.pdf}")
        return EXIT_OK
    if args.out_dir is None:
        parser.error("--region skriver en fil per kommun och kräver --out-dir")
    pdfs = feedback_pdfs_for_region(store, round_, store.region_named(args.region), national[0] if national else None)
    targets = {code: args.out_dir / safe_filename(f"Återkoppling {round_.year} {code} {store.register.municipality(code).name}.pdf")
               for code in pdfs}
    existing = [p for p in targets.values() if p.exists()]
    if existing and not args.overwrite:
        raise OverwriteRefused(f"{len(existing)} av filerna finns redan i {args.out_dir} och skrivs inte över.")
    for code, path in targets.items():
        write_bytes_atomic(path, pdfs[code], overwrite=True)
    print(f"Skrev {len(targets)} återkopplingar i {args.out_dir}")
    return EXIT_OK


def _run_export_county(store, args, parser) -> int:
    from .exchange.county_export import CountyTargets, export_county
    from .store.comparisons import PREVIOUS, round_compared

    if not (args.xlsx or args.pdf or args.json or args.eml or args.docx):
        parser.error("ange minst en av --xlsx, --pdf, --json, --docx och --eml")
    settings = _settings()
    round_ = _round(store, args, per_municipality=True)
    # Checked before anything is written: a year that is no earlier round of the survey is refused.
    earlier = None if args.no_compare else round_compared(store, round_, args.compare or PREVIOUS)
    paths = export_county(
        store, round_, args.region, CountyTargets(args.xlsx, args.pdf, args.json, args.eml, args.docx),
        anonymous=args.anonymous, overwrite=args.overwrite, exported_by=settings.name,
        contact_lines=settings.contact_lines(), to=args.to or settings.skl_email, compare_with=earlier,
    )
    for path in paths:
        print(f"Skrev {path}")
    if earlier is not None:
        print(f"Jämfört med {earlier.year}")
    return EXIT_OK


def _run_export_response(store, args, parser) -> int:
    from .exchange import response_export as export

    if not (args.json or args.xlsx or args.pdf):
        parser.error("ange minst en av --json, --xlsx och --pdf")
    round_ = _round(store, args, per_municipality=True)
    kommun = args.kommun.strip()
    if args.json:
        print(f"Skrev {export.export_response_json(store, round_, kommun, args.json, overwrite=args.overwrite)}")
    if args.xlsx:
        path = export.export_response_xlsx(store, round_, kommun, args.xlsx, overwrite=args.overwrite,
                                           contact_lines=_settings().contact_lines())
        print(f"Skrev {path}")
    if args.pdf:
        print(f"Skrev {export.export_response_pdf(store, round_, kommun, args.pdf, overwrite=args.overwrite)}")
    return EXIT_OK


def _run_template(store, args, parser) -> int:
    from .exchange import response_export as export

    round_ = _round(store, args, per_municipality=True)
    contact = _settings().contact_lines()
    if args.region is not None:
        if args.out_dir is None or args.kommun:
            parser.error("--region skriver en fil per kommun och kräver --out-dir (men inte --kommun)")
        paths = export.write_region_templates(store, round_, args.region, args.out_dir, overwrite=args.overwrite,
                                              contact_lines=contact)
        print(f"Skrev {len(paths)} svarsfiler i {args.out_dir}")
        return EXIT_OK
    if args.out_dir is not None:
        parser.error("--out-dir hör ihop med --region")
    kommun = args.kommun.strip() if args.kommun else None
    print(f"Skrev {export.write_template(store, round_, args.out, kommun=kommun, overwrite=args.overwrite, contact_lines=contact)}")
    return EXIT_OK


def _run_gui(args: argparse.Namespace) -> int:
    """The GUI; Qt is loaded only for it. Two things here are for start-up time (docs/performance.md):

    - The cyclic garbage collector is off until the window has painted (gui.app.run_gui turns it
      on): nearly every object made while starting lives as long as the program, so the
      collector's passes over them would be wasted time, about a tenth of the start.
    - The plain-Python core is imported before PySide6. PySide6 installs an import hook that reads
      the source of every module imported after it, looking for `from __feature__ import`; the
      core and the standard-library modules it uses have no Qt in them, so they need not be read.
    """
    gc.disable()
    try:
        from . import core, settings  # noqa: F401, I001 (before PySide6, see above)
        from .store import backup  # noqa: F401
        from .survey import answers  # noqa: F401

        from .gui.app import run_gui

        return run_gui(_database_path(args), demo=args.demo, round_year=args.round)
    finally:
        gc.enable()


def parse_arguments(argv: Sequence[str] | None = None) -> tuple[argparse.Namespace, SwedishParser | None]:
    """The command line, and the full parser if it was needed.

    Opening the program is the usual case, and its start waits for this: the options alone are
    parsed first, and the full parser, with every command, is built only when there is more on the
    line, or for --help or an error.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args, rest = build_parser(commands=False).parse_known_args(argv)
    except _NeedFullParser:
        rest = argv
    if not rest:
        args.command = None
        return args, None
    parser = build_parser()
    return parser.parse_args(argv), parser


def main(argv: Sequence[str] | None = None) -> int:
    args, parser = parse_arguments(argv)
    if args.demo and args.db is not None:
        (parser or build_parser()).error("--demo använder en egen demodatabas och kan inte kombineras med --db (demosvar blandas aldrig med riktiga)")
    if args.selftest:
        from .selftest import main as run_selftest  # imports Qt only in its last step

        return run_selftest()
    if args.command is None:
        return _run_gui(args)
    assert parser is not None  # a command is only ever read by the full parser

    if args.command == "restore":
        return _run_restore(args, parser)
    from .core import open_store
    from .exchange.fileio import OverwriteRefused
    from .store import DatabaseError, StoreError
    from .survey.forms import FormError
    from .survey.register import RegisterError

    try:
        store = open_store(_database_path(args), daily_backup=args.command == "import" and not args.demo)
    except (DatabaseError, FormError, RegisterError) as error:
        return _fail(str(error))
    try:
        if args.demo:
            from .demo import fill_demo_database

            fill_demo_database(store)
        if args.round is not None or args.form_id is not None:
            store.round_for(args.round, args.form_id)  # refuse an unknown round up front
        if args.command == "import":
            return _run_import(store, args)
        if args.command == "backup":
            return _run_backup(store, args)
        if args.command == "remove-personal-data":
            return _run_purge(store, args, parser)
        if args.command == "template":
            return _run_template(store, args, parser)
        if args.command == "round":
            return _run_round(store, args)
        if args.command == "report":
            return _run_report(store, args)
        return _run_export(store, args, parser)
    except (StoreError, OverwriteRefused) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"filen {getattr(error, 'filename', '') or ''} kan inte skrivas: {error.strerror or error}")
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
