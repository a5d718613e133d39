"""A real SMTP server for the mail tests (aiosmtpd from PyPI): STARTTLS with the certificate given,
AUTH PLAIN for one user, every accepted message written to OUTDIR as NNN.eml with its envelope.

    python3 smtp-server.py PORT OUTDIR CERT KEY USER PASSWORD [--reject-recipient ADDRESS]
"""
import asyncio, os, ssl, sys
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

port, outdir, cert, key, user, password = sys.argv[1:7]
rejected = sys.argv[8] if len(sys.argv) > 8 and sys.argv[7] == "--reject-recipient" else None

class Handler:
    count = 0
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == rejected:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"
    async def handle_DATA(self, server, session, envelope):
        Handler.count += 1
        path = os.path.join(outdir, "%03d.eml" % Handler.count)
        with open(path + ".tmp", "wb") as f:
            f.write(("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\nX-Authenticated: %s\r\nX-TLS: %s\r\n" % (
                envelope.mail_from, ",".join(envelope.rcpt_tos),
                session.authenticated, session.ssl is not None)).encode())
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = mechanism == "PLAIN" and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok)

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(Handler(), hostname="127.0.0.1", port=int(port), tls_context=context,
                        require_starttls=True, authenticator=authenticator, auth_require_tls=True)
controller.start()
print("ready", flush=True)
try:
    sys.stdin.read()
finally:
    controller.stop()
