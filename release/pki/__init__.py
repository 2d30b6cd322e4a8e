"""A development PKI: root CA, issuing CA, TSA, and PKCS#12 credentials for agencies and signers.

For demos and tests only. Production keys come from a licensed CA (PKCS#12 file or token);
this package never runs outside `make_dev_pki` and the test fixtures.

- `certificates`: the authorities (`ensure_authorities`) and the certificates they issue
  (`issue_credential`);
- `images`: the signature and seal images drawn for those certificates;
- `credentials`: the SigningCredential rows made from them (`sync_dev_credentials`).
"""
