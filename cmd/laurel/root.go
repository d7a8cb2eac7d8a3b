package main

import (
	"github.com/spf13/cobra"
)

// Exit codes shared by every command. Verification uses exitInvalid so
// scripts can tell "checked and bad" apart from "could not run".
const (
	exitInvalid = 1
	exitUsage   = 2
)

// exitError carries a specific process exit code out of a RunE. An empty msg
// means the command already explained itself on its own output.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// newRootCmd builds the whole command tree. Each subcommand lives in its own
// file with its options struct.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "laurel",
		Short:         "Open Badges 3.0 issuer and verifier for school districts",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCmd(), newKeysCmd(), newSignCmd(), newVerifyCmd(), newUsersCmd(), newClientsCmd(),
		newBackupCmd(), newRestoreCmd(), newIssueCmd(),
		newRevokeCmd(), newSuspendCmd(), newReinstateCmd())
	return root
}
