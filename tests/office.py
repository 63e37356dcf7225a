"""LibreOffice Calc filling in a svarsfil itself: a Basic macro in a throwaway profile, no openpyxl.

`fill_with_libreoffice`: the macro opens the template, writes each answer into the cell its defined
name points at, and saves with Calc's own Excel writer, as a municipality using LibreOffice does.
`edit_with_libreoffice`: as a person edits the sheet: selects rows and inserts rows above them with
Calc's own command (Infoga rader ovanför), types into cells by address or
by defined name, and saves.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(OFFICE is None, reason="LibreOffice (soffice) is not installed")

_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Fill" script:language="StarBasic">
Sub Fill(inUrl As String, outUrl As String, pairs As String, typed As Boolean)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(inUrl, &quot;_blank&quot;, 0, args())
  For Each p In Split(pairs, &quot;;&quot;)
    kv = Split(p, &quot;=&quot;)
    cell = doc.NamedRanges.getByName(kv(0)).getReferredCells().getCellByPosition(0, 0)
    If typed Then
      cell.setFormula(kv(1))
    Else
      cell.setString(kv(1))
    End If
  Next
  SaveAsExcel(doc, outUrl)
End Sub

Sub SaveAsExcel(doc, outUrl As String)
  Dim sargs(0) As New com.sun.star.beans.PropertyValue
  sargs(0).Name = &quot;FilterName&quot;
  sargs(0).Value = &quot;Calc MS Excel 2007 XML&quot;
  doc.storeToURL(outUrl, sargs())
  doc.close(True)
End Sub

Sub Edit(inUrl As String, outUrl As String, steps As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(inUrl, &quot;_blank&quot;, 0, args())
  sheet = doc.Sheets.getByIndex(0)
  controller = doc.getCurrentController()
  controller.setActiveSheet(sheet)
  dispatcher = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  Dim none() As New com.sun.star.beans.PropertyValue
  For Each s In Split(steps, &quot;;&quot;)
    part = Split(s, &quot;|&quot;)
    If part(0) = &quot;insert&quot; Then
      controller.select(sheet.getCellRangeByName(&quot;A&quot; &amp; part(1) &amp; &quot;:A&quot; &amp; (CLng(part(1)) + CLng(part(2)) - 1)))
      dispatcher.executeDispatch(controller.getFrame(), &quot;.uno:InsertRows&quot;, &quot;&quot;, 0, none())
    ElseIf part(0) = &quot;unprotect&quot; Then
      sheet.unprotect(&quot;&quot;)
    ElseIf part(0) = &quot;cell&quot; Then
      sheet.getCellRangeByName(part(1)).setFormula(part(2))
    ElseIf part(0) = &quot;name&quot; Then
      doc.NamedRanges.getByName(part(1)).getReferredCells().getCellByPosition(0, 0).setFormula(part(2))
    End If
  Next
  SaveAsExcel(doc, outUrl)
End Sub
</script:module>
"""
_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false">
 <library:element library:name="Fill"/>
</library:library>
"""


def _office(profile: Path, *args: str) -> None:
    result = subprocess.run([OFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                             "--norestore", *args], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr


def _profile(work: Path) -> Path:
    """A throwaway LibreOffice profile holding the macros."""
    profile = work / "lo-profile"
    if not (profile / "user" / "basic" / "Standard").is_dir():
        _office(profile, "--terminate_after_init")  # a first start writes the profile's default library
    standard = profile / "user" / "basic" / "Standard"
    (standard / "Fill.xba").write_text(_MACRO, encoding="utf-8")
    (standard / "script.xlb").write_text(_LIBRARY, encoding="utf-8")
    return profile


def fill_with_libreoffice(template: Path, out: Path, cells: dict[str, str], work: Path, *, typed: bool = False) -> Path:
    """Write `cells` (defined name -> text) into `template` with LibreOffice Calc and save it as `out`.

    `typed`: Calc reads each text as typed input (12.5 a number, 2013-05-01 a date; the API's en-US
    conventions, so a decimal point), as a person's typing is read; otherwise each is stored as text.
    """
    for name, value in cells.items():
        assert not set(name + value) & set(';="'), "the macro's argument cannot carry ; = or \""
    profile = _profile(work)
    pairs = ";".join(f"{name}={value}" for name, value in cells.items())
    _office(profile, f'macro:///Standard.Fill.Fill("{Path(template).resolve().as_uri()}","{Path(out).resolve().as_uri()}","{pairs}",{str(typed).lower()})')
    assert out.exists(), "LibreOffice did not write the file"
    return out


def edit_with_libreoffice(path: Path, out: Path, steps: list[tuple], work: Path) -> Path:
    """Edit the first sheet of `path` in Calc as a person does, and save it as `out` with Calc's Excel writer.

    Steps, in order: ("unprotect",) turns the sheet's protection off (Verktyg › Skydda blad; a
    svarsfil has no password: Calc inserts no rows into a protected sheet); ("insert", row, count) selects `count` rows from sheet row `row` (1 = the first)
    and inserts as many rows above them with Calc's command; ("cell", "C40", text) types text into a
    cell; ("name", "bou_antal", text) types into the cell a defined name points at. Typed text is read
    as Calc reads typing (12.5 a number with the API's decimal point, 2013-05-01 a date).
    """
    encoded = []
    for step in steps:
        fields = [str(field) for field in step]
        assert not set("".join(fields)) & set(';|"\n'), "the macro's argument cannot carry ; | \" or a line break"
        encoded.append("|".join(fields))
    profile = _profile(work)
    _office(profile, f'macro:///Standard.Fill.Edit("{Path(path).resolve().as_uri()}","{Path(out).resolve().as_uri()}","{";".join(encoded)}")')
    assert out.exists(), "LibreOffice did not write the file"
    return out
