package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// defaultKeyFile is where `laurel sign` keeps its key when none is named,
// so the quick start works on a fresh machine.
const defaultKeyFile = "laurel-data/keys/issuer-ed25519.pem"

// maxCredentialFile bounds what sign and verify read from one input.
const maxCredentialFile = 1 << 20

type signOptions struct {
	keyFile string
	format  string
	suite   string
	method  string
	created string
	out     string
}

func newSignCmd() *cobra.Command {
	o := &signOptions{}
	cmd := &cobra.Command{
		Use:   "sign [flags] CREDENTIAL.json",
		Short: "Sign a credential (Data Integrity eddsa-rdfc-2022 by default, or VC-JWT)",
		Long: `Sign reads an unsigned credential (a file, or - for standard input) and prints it
signed. Without --key it uses ` + defaultKeyFile + `, creating an Ed25519 key there
on first use. A credential without an issuer is issued as the key's did:key.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return o.run(cmd, args[0]) },
	}

	f := cmd.Flags()
	f.StringVar(&o.keyFile, "key", "", "private key file (PEM); default "+defaultKeyFile)
	f.StringVar(&o.format, "format", "di", "proof format: di (Data Integrity) or jwt (VC-JWT)")
	f.StringVar(&o.suite, "suite", "", "cryptosuite: eddsa-rdfc-2022 or ecdsa-rdfc-2019 (default: by key type)")
	f.StringVar(&o.method, "verification-method", "", "verification method URL (default: the key's did:key)")
	f.StringVar(&o.created, "created", "", "proof creation time, RFC 3339 (default: now)")
	f.StringVar(&o.out, "out", "", "write the result to this file instead of standard output")
	return cmd
}

func (o *signOptions) run(cmd *cobra.Command, input string) error {
	created, err := o.createdTime()
	if err != nil {
		return usageError(err)
	}

	key, err := o.loadKey(cmd.ErrOrStderr())
	if err != nil {
		return err
	}

	signer, err := newSigner(key, o.method)
	if err != nil {
		return err
	}

	cred, err := readCredential(cmd.InOrStdin(), input)
	if err != nil {
		return usageError(err)
	}

	out, err := signer.Sign(cred, issuer.SignOptions{
		Format: issuer.Format(o.format), Suite: o.suite, Created: created,
	})
	if err != nil {
		return err
	}
	return o.write(cmd.OutOrStdout(), readable(out))
}

func (o *signOptions) createdTime() (time.Time, error) {
	if o.created == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, o.created)
	if err != nil {
		return time.Time{}, fmt.Errorf("--created: %w", err)
	}
	return t, nil
}

// loadKey opens the named key, or the default one, creating the default on
// first use and saying so on stderr (never showing the secret).
func (o *signOptions) loadKey(stderr io.Writer) (*keys.Key, error) {
	if o.keyFile != "" {
		return keys.Load(o.keyFile)
	}

	key, err := keys.Load(defaultKeyFile)
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		return key, err
	}

	if key, err = keys.Generate(keys.Ed25519); err != nil {
		return nil, err
	}
	if err := key.Save(defaultKeyFile); err != nil {
		return nil, err
	}
	did, _ := key.DIDKey()
	fmt.Fprintf(stderr, "created a new Ed25519 issuer key in %s (%s)\n", defaultKeyFile, did)
	return key, nil
}

func newSigner(key *keys.Key, method string) (*issuer.Signer, error) {
	c, err := canon.New(canon.Config{})
	if err != nil {
		return nil, err
	}
	return issuer.NewSigner(issuer.SignerConfig{Engine: proof.NewEngine(c), Key: key, VerificationMethod: method})
}

func (o *signOptions) write(stdout io.Writer, data []byte) error {
	if o.out == "" {
		_, err := stdout.Write(data)
		return err
	}
	if err := os.WriteFile(o.out, data, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", o.out, err)
	}
	return nil
}

// readInput reads a file, or standard input for "-", refusing anything
// larger than maxCredentialFile.
func readInput(stdin io.Reader, name string) ([]byte, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}

	data, err := io.ReadAll(io.LimitReader(r, maxCredentialFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(data) > maxCredentialFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, maxCredentialFile)
	}
	return data, nil
}

func readCredential(stdin io.Reader, name string) (map[string]any, error) {
	data, err := readInput(stdin, name)
	if err != nil {
		return nil, err
	}
	var cred map[string]any
	if err := json.Unmarshal(data, &cred); err != nil {
		return nil, fmt.Errorf("%s is not a JSON object: %w", name, err)
	}
	return cred, nil
}

// usageError marks err as the caller's mistake (exit status 2).
func usageError(err error) error {
	return &exitError{code: exitUsage, msg: err.Error()}
}

// readable indents a signed JSON credential for people; a JWT is left as
// it is. Indentation does not change what the proof covers.
func readable(out []byte) []byte {
	var b bytes.Buffer
	if json.Indent(&b, out, "", "  ") != nil {
		return append(out, '\n')
	}
	return append(b.Bytes(), '\n')
}
