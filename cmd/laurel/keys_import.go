package main

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/keys"
)

// keysImportOptions holds the flags of "laurel keys import".
type keysImportOptions struct {
	// keyType must be ed25519, the only type with a seed form.
	keyType string
	// seed is the 32-byte RFC 8032 seed in hex. A command-line value shows
	// up in shell history and process lists, which is acceptable only for
	// the published test keys this command exists for.
	seed string
	// out is the key file to create; it must not exist yet.
	out string
	// json prints the description as one JSON object.
	json bool
}

// newKeysImportCmd builds "laurel keys import".
func newKeysImportCmd() *cobra.Command {
	o := &keysImportOptions{}
	cmd := &cobra.Command{
		Use:   "import --seed HEX --out FILE [--type ed25519]",
		Short: "Write a key file from a published Ed25519 test seed",
		Long: "Write a key file from an Ed25519 seed given in hex, to reproduce signatures\n" +
			"made with published test keys (such as the 1EdTech Open Badges test key).\n" +
			"The seed is visible to other users of this machine while the command runs:\n" +
			"never import a real issuer key this way.",
		Args: cobra.NoArgs,
		RunE: o.run,
	}

	f := cmd.Flags()
	f.StringVar(&o.keyType, "type", string(keys.Ed25519), "key type; only ed25519 has a seed form")
	f.StringVar(&o.seed, "seed", "", "32-byte Ed25519 seed as 64 hex digits (test keys only)")
	f.StringVar(&o.out, "out", "", "key file to create (mode 0600, never replaces a file)")
	f.BoolVar(&o.json, "json", false, "print the public description as JSON")
	_ = cmd.MarkFlagRequired("seed")
	_ = cmd.MarkFlagRequired("out")

	return cmd
}

// run builds the key from the seed, saves it and prints its description.
func (o *keysImportOptions) run(cmd *cobra.Command, _ []string) error {
	t, err := keys.ParseType(o.keyType)
	if err != nil {
		return fmt.Errorf("keys import: %w", err)
	}
	if t != keys.Ed25519 {
		return fmt.Errorf("keys import: only ed25519 keys have a seed form: %w", keys.ErrUnsupported)
	}

	seed, err := decodeSeed(o.seed)
	if err != nil {
		return fmt.Errorf("keys import: %w", err)
	}
	defer clear(seed)

	k, err := keys.FromEd25519Seed(seed)
	if err != nil {
		return fmt.Errorf("keys import: %w", err)
	}

	if err := saveAndPrint(cmd, k, o.out, o.json); err != nil {
		return fmt.Errorf("keys import: %w", err)
	}

	return nil
}

// decodeSeed decodes the hex seed. Its error never quotes the input, not even
// the one bad character encoding/hex would name, since the input is secret.
func decodeSeed(s string) ([]byte, error) {
	seed, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(seed) != 32 {
		return nil, fmt.Errorf("decoding --seed: want 64 hex digits: %w", keys.ErrMalformed)
	}

	return seed, nil
}
