package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/issuer"
)

// statusOptions are the options of laurel revoke, suspend and reinstate.
type statusOptions struct {
	office officeOptions
	action issuer.StatusAction
	reason string
}

func newRevokeCmd() *cobra.Command {
	return newStatusCmd(issuer.ActionRevoke, "revoke ID --reason TEXT",
		"Revoke a credential for good (its revocation bit is set and published)")
}

func newSuspendCmd() *cobra.Command {
	return newStatusCmd(issuer.ActionSuspend, "suspend ID [--reason TEXT]",
		"Suspend a credential until it is reinstated")
}

func newReinstateCmd() *cobra.Command {
	return newStatusCmd(issuer.ActionReinstate, "reinstate ID [--reason TEXT]",
		"Lift a credential's suspension (a revocation cannot be lifted)")
}

// newStatusCmd builds one of the three commands, which differ only in
// their action. They open the data folder, so they refuse while laurel
// serve holds it; use the API then.
func newStatusCmd(action issuer.StatusAction, use, short string) *cobra.Command {
	o := &statusOptions{action: action}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE:  o.run,
	}
	o.office.addFlags(cmd)
	cmd.Flags().StringVar(&o.reason, "reason", "", "why, for the credential's history and the audit record")
	if action == issuer.ActionRevoke {
		_ = cmd.MarkFlagRequired("reason")
	}
	return cmd
}

func (o *statusOptions) run(cmd *cobra.Command, args []string) error {
	off, err := o.office.open(cmd.Context(), discardLogger())
	if err != nil {
		return err
	}
	defer off.Close()

	admin := &issuer.User{ID: "cli", Name: "laurel " + string(o.action), Role: issuer.RoleAdmin}
	change := map[issuer.StatusAction]func(context.Context, *issuer.User, string, string) (*issuer.Credential, error){
		issuer.ActionRevoke:    off.svc.Revoke,
		issuer.ActionSuspend:   off.svc.Suspend,
		issuer.ActionReinstate: off.svc.Reinstate,
	}[o.action]
	cred, err := change(cmd.Context(), admin, args[0], o.reason)
	if err != nil {
		return usageError(err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\n", cred.ID, cred.Standing)
	return nil
}
