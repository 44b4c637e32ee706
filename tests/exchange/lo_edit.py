"""Edit a workbook in LibreOffice itself, through its UNO API, as a clerk would by hand.

Run with the system Python that has LibreOffice's `uno` module (Debian: python3-uno):
    /usr/bin/python3 lo_edit.py IN.xlsx OUT.xlsx OPS.json PROFILE_DIR
OPS is a list of {"set": [sheet, row, col, text]}, {"delete_row": [sheet, row]} and
{"insert_row": [sheet, row, {col: text}]}, rows and columns counted from 0, applied in order.
"""
import json
import os
import socket
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(inp, out, ops_file, profile):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    office = subprocess.Popen([
        "soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
        f"-env:UserInstallation=file://{profile}", f"--accept=socket,host=127.0.0.1,port={port};urp;",
    ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(inp)), "_blank", 0,
                                           (prop("Hidden", True),))
        for op in json.load(open(ops_file, encoding="utf-8")):
            if "set" in op:
                sheet, row, col, text = op["set"]
                doc.Sheets.getByName(sheet).getCellByPosition(col, row).setString(text)
            elif "delete_row" in op:
                sheet, row = op["delete_row"]
                doc.Sheets.getByName(sheet).Rows.removeByIndex(row, 1)
            elif "insert_row" in op:
                sheet, row, cells = op["insert_row"]
                sh = doc.Sheets.getByName(sheet)
                sh.Rows.insertByIndex(row, 1)
                for col, text in cells.items():
                    sh.getCellByPosition(int(col), row).setString(text)
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(out)),
                       (prop("FilterName", "Calc MS Excel 2007 XML"), prop("Overwrite", True)))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(*sys.argv[1:5])
