package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/keys"
)

// keysGenerateOptions holds the flags of "laurel keys generate".
type keysGenerateOptions struct {
	// keyType is ed25519, p256 or rsa; ed25519 by default because it is
	// what eddsa-rdfc-2022, the Open Badges 3.0 default cryptosuite, uses.
	keyType string
	// out is the key file to create; it must not exist yet.
	out string
	// json prints the description as one JSON object.
	json bool
}

// newKeysGenerateCmd builds "laurel keys generate".
func newKeysGenerateCmd() *cobra.Command {
	o := &keysGenerateOptions{}
	cmd := &cobra.Command{
		Use:   "generate --out FILE [--type ed25519|p256|rsa]",
		Short: "Generate a new signing key and write it to a file",
		Args:  cobra.NoArgs,
		RunE:  o.run,
	}

	f := cmd.Flags()
	f.StringVar(&o.keyType, "type", string(keys.Ed25519), "key type: ed25519, p256 or rsa (3072 bits)")
	f.StringVar(&o.out, "out", "", "key file to create (mode 0600, never replaces a file)")
	f.BoolVar(&o.json, "json", false, "print the public description as JSON")
	_ = cmd.MarkFlagRequired("out")

	return cmd
}

// run generates the key, saves it and prints its public description.
func (o *keysGenerateOptions) run(cmd *cobra.Command, _ []string) error {
	t, err := keys.ParseType(o.keyType)
	if err != nil {
		return fmt.Errorf("keys generate: %w", err)
	}

	k, err := keys.Generate(t)
	if err != nil {
		return fmt.Errorf("keys generate: %w", err)
	}

	if err := saveAndPrint(cmd, k, o.out, o.json); err != nil {
		return fmt.Errorf("keys generate: %w", err)
	}

	return nil
}
