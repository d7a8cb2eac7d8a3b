package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/keys"
)

// newKeysCmd groups the commands that create and inspect the issuer's signing
// keys. None of them ever prints secret key material: everything shown comes
// from describeKey, which sees only the public key.
func newKeysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Create, import and inspect issuer signing keys",
		Long: "Create, import and inspect issuer signing keys.\n\n" +
			"Key files are PKCS#8 PEM, written with mode 0600 and never overwritten.",
	}
	cmd.AddCommand(newKeysGenerateCmd(), newKeysImportCmd(), newKeysShowCmd())

	return cmd
}

// keyDescription is the public face of a key as the keys commands print it.
// With --json every member is present; the ones a key type lacks (RSA has no
// did:key or Multikey) are empty strings, so scripts can rely on the shape.
type keyDescription struct {
	Type               string          `json:"type"`
	DID                string          `json:"did"`
	VerificationMethod string          `json:"verificationMethod"`
	PublicKeyMultibase string          `json:"publicKeyMultibase"`
	PublicKeyJWK       json.RawMessage `json:"publicKeyJwk"`
}

// describeKey gathers the public encodings of k. The JWK "kid" is the
// did:key verification method where there is one, else the RFC 7638
// thumbprint, so the printed JWK can be pasted into a JWKS as is.
func describeKey(k *keys.Key) (keyDescription, error) {
	d := keyDescription{Type: string(k.Type())}
	if err := addDIDKey(k, &d); err != nil {
		return keyDescription{}, fmt.Errorf("describing key: %w", err)
	}

	kid := d.VerificationMethod
	if kid == "" {
		var err error
		if kid, err = keys.Thumbprint(k.Public()); err != nil {
			return keyDescription{}, fmt.Errorf("describing key: %w", err)
		}
	}

	jwk, err := keys.PublicJWKJSON(k.Public(), kid)
	if err != nil {
		return keyDescription{}, fmt.Errorf("describing key: %w", err)
	}
	d.PublicKeyJWK = jwk

	return d, nil
}

// addDIDKey fills the did:key members of d, leaving them empty for key types
// that have no did:key form (RSA).
func addDIDKey(k *keys.Key, d *keyDescription) error {
	did, err := k.DIDKey()
	if errors.Is(err, keys.ErrUnsupported) {
		return nil
	}
	if err != nil {
		return err
	}

	vm, err := k.VerificationMethodID()
	if err != nil {
		return err
	}
	mk, err := keys.Multikey(k.Public())
	if err != nil {
		return err
	}

	d.DID, d.VerificationMethod, d.PublicKeyMultibase = did, vm, mk

	return nil
}

// printKey describes k on w, as one JSON object or as aligned text lines.
func printKey(w io.Writer, k *keys.Key, asJSON bool) error {
	d, err := describeKey(k)
	if err != nil {
		return err
	}

	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d); err != nil {
			return fmt.Errorf("writing key description: %w", err)
		}
		return nil
	}

	return printKeyText(w, d)
}

// printKeyText writes one "name  value" line per member a key has.
func printKeyText(w io.Writer, d keyDescription) error {
	lines := [][2]string{
		{"type", d.Type},
		{"did", d.DID},
		{"verificationMethod", d.VerificationMethod},
		{"publicKeyMultibase", d.PublicKeyMultibase},
		{"publicKeyJwk", string(d.PublicKeyJWK)},
	}
	for _, l := range lines {
		if l[1] == "" {
			continue
		}
		if _, err := fmt.Fprintf(w, "%-20s%s\n", l[0], l[1]); err != nil {
			return fmt.Errorf("writing key description: %w", err)
		}
	}

	return nil
}

// saveAndPrint writes a new key file, refusing to overwrite, and then
// describes the key, for the commands that create keys.
func saveAndPrint(cmd *cobra.Command, k *keys.Key, out string, asJSON bool) error {
	if err := k.Save(out); err != nil {
		return err
	}

	w := cmd.OutOrStdout()
	if !asJSON {
		if _, err := fmt.Fprintf(w, "%-20s%s\n", "wrote", out); err != nil {
			return fmt.Errorf("writing output: %w", err)
		}
	}

	return printKey(w, k, asJSON)
}
