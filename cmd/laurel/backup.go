package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/store"
)

type backupOptions struct {
	dataDir string
	out     string
	server  string
	token   string
}

func newBackupCmd() *cobra.Command {
	o := &backupOptions{}
	cmd := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "Write a consistent snapshot of the data file",
		Long: `Backup writes a consistent snapshot of the database. With --server it asks a running
laurel serve for an online snapshot (an administrator token is needed: --token or the
LAUREL_TOKEN environment variable); otherwise it opens the data folder, which must then
not be in use. Keys live beside the database in the data folder's keys/ and are not in
the snapshot: back them up separately and keep them secret.`,
		Args: cobra.NoArgs,
		RunE: o.run,
	}
	cmd.Flags().StringVar(&o.dataDir, "data", defaultDataDir, "data folder")
	cmd.Flags().StringVar(&o.out, "out", "", "snapshot file to create")
	cmd.Flags().StringVar(&o.server, "server", "", "take the snapshot from this running server (its URL)")
	cmd.Flags().StringVar(&o.token, "token", "", "administrator token for --server (default $LAUREL_TOKEN)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func (o *backupOptions) run(cmd *cobra.Command, _ []string) error {
	f, err := os.OpenFile(o.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return usageError(err)
	}

	var n int64
	if o.server != "" {
		n, err = o.fromServer(cmd.Context(), f)
	} else {
		n, err = o.fromFolder(f)
	}
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		os.Remove(o.out)
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %d bytes to %s\n", n, o.out)
	return nil
}

func (o *backupOptions) fromFolder(w io.Writer) (int64, error) {
	db, err := store.Open(filepath.Join(o.dataDir, "laurel.db"), store.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return db.Backup(w)
}

// fromServer streams an online snapshot from a running server.
func (o *backupOptions) fromServer(ctx context.Context, w io.Writer) (int64, error) {
	token := o.token
	if token == "" {
		token = os.Getenv("LAUREL_TOKEN")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(o.server, "/")+"/api/v1/backup", nil)
	if err != nil {
		return 0, usageError(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("asking %s for a snapshot: %w", o.server, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return 0, fmt.Errorf("asking %s for a snapshot: %s: %s", o.server, resp.Status, msg)
	}
	return io.Copy(w, resp.Body)
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
