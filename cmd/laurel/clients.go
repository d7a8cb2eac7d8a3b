package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

type clientsAddOptions struct {
	office officeOptions
	name   string
}

func newClientsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "clients", Short: "Manage OAuth clients of the W3C VC API"}
	cmd.AddCommand(newClientsAddCmd())
	return cmd
}

func newClientsAddCmd() *cobra.Command {
	o := &clientsAddOptions{}
	cmd := &cobra.Command{
		Use:   "add --name NAME",
		Short: "Register an OAuth client (client credentials grant) and print its id and secret",
		Args:  cobra.NoArgs,
		RunE:  o.run,
	}
	o.office.addFlags(cmd)
	cmd.Flags().StringVar(&o.name, "name", "", "what the client is, e.g. the test harness")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func (o *clientsAddOptions) run(cmd *cobra.Command, _ []string) error {
	off, err := o.office.open(cmd.Context(), discardLogger())
	if err != nil {
		return err
	}
	defer off.Close()

	c, secret, err := off.svc.AddClient(cmd.Context(), o.name)
	if err != nil {
		return usageError(err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "client_id %s\nclient_secret %s\n", c.ID, secret)
	return nil
}
