"""LibreOffice Calc filling in a svarsfil itself: a Basic macro in a throwaway profile, no openpyxl.

The macro opens the template, writes each answer into the cell its defined name points at, and
saves with Calc's own Excel writer, as a municipality using LibreOffice does.
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
  Dim sargs(0) As New com.sun.star.beans.PropertyValue
  sargs(0).Name = &quot;FilterName&quot;
  sargs(0).Value = &quot;Calc MS Excel 2007 XML&quot;
  doc.storeToURL(outUrl, sargs())
  doc.close(True)
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


def fill_with_libreoffice(template: Path, out: Path, cells: dict[str, str], work: Path, *, typed: bool = False) -> Path:
    """Write `cells` (defined name -> text) into `template` with LibreOffice Calc and save it as `out`.

    `typed`: Calc reads each text as typed input (12.5 a number, 2013-05-01 a date; the API's en-US
    conventions, so a decimal point), as a person's typing is read; otherwise each is stored as text.
    """
    for name, value in cells.items():
        assert not set(name + value) & set(';="'), "the macro's argument cannot carry ; = or \""
    profile = work / "lo-profile"
    if not (profile / "user" / "basic" / "Standard").is_dir():
        _office(profile, "--terminate_after_init")  # a first start writes the profile's default library
    standard = profile / "user" / "basic" / "Standard"
    (standard / "Fill.xba").write_text(_MACRO, encoding="utf-8")
    (standard / "script.xlb").write_text(_LIBRARY, encoding="utf-8")
    pairs = ";".join(f"{name}={value}" for name, value in cells.items())
    _office(profile, f'macro:///Standard.Fill.Fill("{Path(template).resolve().as_uri()}","{Path(out).resolve().as_uri()}","{pairs}",{str(typed).lower()})')
    assert out.exists(), "LibreOffice did not write the file"
    return out
