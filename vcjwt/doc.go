// Package vcjwt signs and verifies Open Badges 3.0 credentials in the JSON Web Token
// proof format (OB 3.0 §8.2, "VC-JWT").
//
// Two payload shapes exist and both are read and written:
//
//   - VC 1.1 (context https://www.w3.org/2018/credentials/v1): the credential sits in a
//     "vc" claim beside the registered claims, as OB 3.0 §8.2.4.1 notes for credentials
//     made under VC Data Model 1.1; the header carries typ "JWT".
//   - VC 2.0 (context https://www.w3.org/ns/credentials/v2): the payload is the credential
//     itself with the registered claims added (OB 3.0 §8.2.4.1, VC-JOSE-COSE §3.1.1); the
//     header carries typ "vc+jwt".
//
// Sign derives iss, jti, sub, nbf and exp from the credential and signs through a
// crypto.Signer, so a key held in a KMS works unchanged. Parse decodes a token for
// reports without checking anything but its form. Verifier.Verify checks the signature
// with a key found only through the kid header and checks that the signed claims agree
// with the credential.
//
// What this package leaves to its caller, the verifier package: binding the resolved
// verification method's controller to the issuer, and checking validity dates (the
// claims are exposed so that dates are judged in one place for every proof format).
//
// Known limitations: only the compact serialization is read; JWS extensions (crit, b64)
// are refused; a token that carries its key only in a jwk header is refused although
// OB 3.0 §8.2.3 allows it, because an embedded key says nothing about who the issuer is.
package vcjwt
