package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/issuer"
)

type usersAddOptions struct {
	office officeOptions
	role   string
	name   string
	email  string
}

func newUsersCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "users", Short: "Manage the people who use the badge office"}
	cmd.AddCommand(newUsersAddCmd(), newUsersInviteCmd())
	return cmd
}

func newUsersAddCmd() *cobra.Command {
	o := &usersAddOptions{}
	cmd := &cobra.Command{
		Use:   "add --role admin|reviewer|earner --name NAME [--email EMAIL]",
		Short: "Add a person and print their API token (shown once, stored only as a hash)",
		Args:  cobra.NoArgs,
		RunE:  o.run,
	}
	o.office.addFlags(cmd)
	cmd.Flags().StringVar(&o.role, "role", "", "admin, reviewer or earner")
	cmd.Flags().StringVar(&o.name, "name", "", "the person's name")
	cmd.Flags().StringVar(&o.email, "email", "", "the person's email")
	_ = cmd.MarkFlagRequired("role")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func (o *usersAddOptions) run(cmd *cobra.Command, _ []string) error {
	off, err := o.office.open(cmd.Context(), discardLogger())
	if err != nil {
		return err
	}
	defer off.Close()

	u, token, err := off.svc.AddUser(cmd.Context(), o.name, o.email, issuer.Role(o.role))
	if err != nil {
		return usageError(err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "user %s (%s)\ntoken %s\n", u.ID, u.Role, token)
	return nil
}

type usersInviteOptions struct {
	office officeOptions
}

func newUsersInviteCmd() *cobra.Command {
	o := &usersInviteOptions{}
	cmd := &cobra.Command{
		Use:   "invite EMAIL",
		Short: "Print a new sign-in link for a person, e.g. an administrator whose link expired",
		Long: `Prints a one-time link where the person with EMAIL sets a new password for the
web pages. The operator, who holds the data folder, acts as an administrator; the
audit record names the actor "cli".`,
		Args: cobra.ExactArgs(1),
		RunE: o.run,
	}
	o.office.addFlags(cmd)
	return cmd
}

func (o *usersInviteOptions) run(cmd *cobra.Command, args []string) error {
	off, err := o.office.open(cmd.Context(), discardLogger())
	if err != nil {
		return err
	}
	defer off.Close()

	u, err := off.svc.UserByEmail(args[0])
	if err != nil {
		return usageError(err)
	}
	operator := &issuer.User{ID: "cli", Name: "laurel users invite", Role: issuer.RoleAdmin}
	return printInvitation(cmd.Context(), cmd.OutOrStdout(), off, operator, u, "sign-in")
}
