package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/keys"
)

// keysShowOptions holds the flags of "laurel keys show".
type keysShowOptions struct {
	// json prints the description as one JSON object with the members
	// type, did, verificationMethod, publicKeyMultibase and publicKeyJwk.
	json bool
}

// newKeysShowCmd builds "laurel keys show".
func newKeysShowCmd() *cobra.Command {
	o := &keysShowOptions{}
	cmd := &cobra.Command{
		Use:   "show [--json] FILE",
		Short: "Print the public identifiers of a key file (never the secret)",
		Args:  cobra.ExactArgs(1),
		RunE:  o.run,
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print the description as JSON")

	return cmd
}

// run loads the key file and prints its public description.
func (o *keysShowOptions) run(cmd *cobra.Command, args []string) error {
	k, err := keys.Load(args[0])
	if err != nil {
		return fmt.Errorf("keys show: %w", err)
	}

	if err := printKey(cmd.OutOrStdout(), k, o.json); err != nil {
		return fmt.Errorf("keys show: %w", err)
	}

	return nil
}
