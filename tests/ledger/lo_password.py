"""Open or save a password-protected workbook in LibreOffice itself, through its UNO API.

`soffice --convert-to` has no way to pass an open password (LibreOffice 7.4: a headless convert of an
encrypted file just fails to load it), so the password goes in the load or store MediaDescriptor here.

Run with the system Python that has LibreOffice's `uno` module (Debian: python3-uno):
    /usr/bin/python3 lo_password.py open IN.xlsx PASSWORD OUT.csv PROFILE_DIR      (first sheet as UTF-8 CSV)
    /usr/bin/python3 lo_password.py encrypt IN.xlsx PASSWORD OUT.xlsx PROFILE_DIR  (saved as xlsx with PASSWORD)
Exit code 3 when LibreOffice could not open IN with the password.
"""
import os
import socket
import subprocess
import sys
import time

import uno
from com.sun.star.beans import NamedValue, PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def named(name, value):
    v = NamedValue()
    v.Name, v.Value = name, value
    return v


def main(action, inp, password, out, profile):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    office = subprocess.Popen([
        "soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
        f"-env:UserInstallation=file://{profile}", f"--accept=socket,host=127.0.0.1,port={port};urp;",
    ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    code = 0
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
        load = [prop("Hidden", True)]
        if action == "open":
            load.append(prop("Password", password))
        try:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(inp)), "_blank", 0, tuple(load))
        except Exception:
            doc = None
        if doc is None:
            code = 3
        else:
            target = uno.systemPathToFileUrl(os.path.abspath(out))
            if action == "open":
                doc.storeToURL(target, (prop("FilterName", "Text - txt - csv (StarCalc)"),
                                        prop("FilterOptions", "44,34,76,1"), prop("Overwrite", True)))
            else:
                # What Calc's "Save with password" passes for xlsx: EncryptionData with the crypto service's name
                # (LibreOffice 7.4 then writes ECMA-376 "standard" AES-128 encryption; a plain "Password" property
                # is ignored for xlsx and the file is saved unencrypted).
                data = (named("OOXPassword", password), named("CryptoType", "StrongEncryptionDataSpace"))
                doc.storeToURL(target, (prop("FilterName", "Calc MS Excel 2007 XML"), prop("Overwrite", True),
                                        prop("EncryptionData", uno.Any("[]com.sun.star.beans.NamedValue", data))))
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
    sys.exit(code)


if __name__ == "__main__":
    main(*sys.argv[1:6])
