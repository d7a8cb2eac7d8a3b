package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/store"
)

type backupOptions struct {
	dataDir string
	out     string
}

func newBackupCmd() *cobra.Command {
	o := &backupOptions{}
	cmd := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "Write a consistent snapshot of the data file",
		Long: `Backup writes a consistent snapshot of the database. It needs the data folder to
itself; to back up a running server, stop it first or copy a snapshot it wrote.
Keys live beside the database in the data folder's keys/ and are not in the snapshot:
back them up separately and keep them secret.`,
		Args: cobra.NoArgs,
		RunE: o.run,
	}
	cmd.Flags().StringVar(&o.dataDir, "data", defaultDataDir, "data folder")
	cmd.Flags().StringVar(&o.out, "out", "", "snapshot file to create")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func (o *backupOptions) run(cmd *cobra.Command, _ []string) error {
	db, err := store.Open(filepath.Join(o.dataDir, "laurel.db"), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()

	f, err := os.OpenFile(o.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return usageError(err)
	}
	n, err := db.Backup(f)
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		os.Remove(o.out)
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %d bytes to %s\n", n, o.out)
	return nil
}

type restoreOptions struct {
	dataDir string
}

func newRestoreCmd() *cobra.Command {
	o := &restoreOptions{}
	cmd := &cobra.Command{
		Use:   "restore SNAPSHOT",
		Short: "Replace the data file with a snapshot (the server must be stopped)",
		Args:  cobra.ExactArgs(1),
		RunE:  o.run,
	}
	cmd.Flags().StringVar(&o.dataDir, "data", defaultDataDir, "data folder")
	return cmd
}

func (o *restoreOptions) run(cmd *cobra.Command, args []string) error {
	f, err := os.Open(args[0])
	if err != nil {
		return usageError(err)
	}
	defer f.Close()

	if err := store.Restore(filepath.Join(o.dataDir, "laurel.db"), f); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "restored %s into %s\n", args[0], o.dataDir)
	return nil
}
