package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/fetch"
	"github.com/laurel-badges/laurel/verifier"
)

type verifyOptions struct {
	json bool
	// lists maps status list URLs to local files, so status can be
	// checked offline: URL=FILE.
	lists []string
	// offline fetches nothing from the network.
	offline bool
	// local lets the fetcher reach http and private addresses, to check
	// badges of a Laurel running on this machine or a district network.
	local bool
	// trust lists the issuers the reader recognises: ISSUER=NAME.
	trust []string
}

// verifyResult is one input's entry in --json output.
type verifyResult struct {
	Input  string           `json:"input"`
	Report *verifier.Report `json:"report,omitempty"`
	Error  string           `json:"error,omitempty"`
}

func newVerifyCmd() *cobra.Command {
	o := &verifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify [--json] INPUT...",
		Short: "Verify credentials (JSON-LD with proofs, or VC-JWT) and print a report per check",
		Long: `Verify checks each INPUT: a file holding a credential (JSON), a compact JWS or a
baked PNG or SVG badge; - for standard input; or the https URL of a hosted credential.
It exits 0 when every input is valid, 1 when any is not, and 2 on a usage error.
did:web documents and status lists are fetched over https with Laurel's safe client
(public addresses only); --status-list URL=FILE gives a local copy of a list instead,
and --offline fetches nothing.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return o.run(cmd, args) },
	}
	cmd.Flags().BoolVar(&o.json, "json", false, "print the reports as JSON")
	cmd.Flags().StringArrayVar(&o.lists, "status-list", nil,
		"URL=FILE: read the status list published at URL from FILE (repeatable)")
	cmd.Flags().BoolVar(&o.offline, "offline", false,
		"fetch nothing: no hosted credentials, did:web documents or status lists")
	cmd.Flags().StringArrayVar(&o.trust, "trust", nil,
		"ISSUER=NAME: an issuer (DID or URL) you recognise, shown by name in the report (repeatable)")
	cmd.Flags().BoolVar(&o.local, "allow-local", false,
		"also fetch over http and from loopback and private addresses (a local laurel serve)")
	return cmd
}

func (o *verifyOptions) run(cmd *cobra.Command, inputs []string) error {
	remote, err := o.remote()
	if err != nil {
		return err
	}
	lists, err := o.statusFetch(remote)
	if err != nil {
		return usageError(err)
	}
	trusted, err := parsePairs("--trust", o.trust)
	if err != nil {
		return usageError(err)
	}
	v, err := verifier.New(verifier.Config{Fetch: remote, StatusFetch: lists, TrustedIssuers: trusted})
	if err != nil {
		return err
	}

	results := make([]verifyResult, 0, len(inputs))
	for _, in := range inputs {
		data, err := o.read(cmd, remote, in)
		if err != nil {
			return usageError(err)
		}
		res := verifyResult{Input: in}
		if res.Report, err = v.Verify(cmd.Context(), data); err != nil {
			res.Error = err.Error()
		}
		results = append(results, res)
	}

	if err := o.print(cmd.OutOrStdout(), results); err != nil {
		return err
	}
	for _, r := range results {
		if r.Report == nil || !r.Report.Valid {
			return &exitError{code: exitInvalid}
		}
	}
	return nil
}

// remote is the safe HTTP client's fetch, or nil with --offline.
func (o *verifyOptions) remote() (verifier.Fetch, error) {
	if o.offline {
		return nil, nil
	}
	client, err := fetch.New(fetch.Config{AllowHTTP: o.local, AllowPrivate: o.local})
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, url string) ([]byte, error) { return client.Get(ctx, url) }, nil
}

// read takes an input from a file, standard input or an https URL.
func (o *verifyOptions) read(cmd *cobra.Command, remote verifier.Fetch, in string) ([]byte, error) {
	if !strings.HasPrefix(in, "https://") && !strings.HasPrefix(in, "http://") {
		return readInput(cmd.InOrStdin(), in)
	}
	if remote == nil {
		return nil, fmt.Errorf("%s: URLs are not fetched with --offline", in)
	}
	return remote(cmd.Context(), in)
}

func (o *verifyOptions) print(w io.Writer, results []verifyResult) error {
	if o.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}
	for _, r := range results {
		printReport(w, r)
	}
	return nil
}

// marks gives each outcome a symbol that reads in any terminal.
var marks = map[verifier.Outcome]string{
	verifier.Passed:     "ok  ",
	verifier.Failed:     "FAIL",
	verifier.Warning:    "warn",
	verifier.NotChecked: "--  ",
}

func printReport(w io.Writer, r verifyResult) {
	if r.Report == nil {
		fmt.Fprintf(w, "%s: INVALID\n  %s\n\n", r.Input, r.Error)
		return
	}

	verdict := "INVALID"
	if r.Report.Valid {
		verdict = "VALID"
	}
	fmt.Fprintf(w, "%s: %s (%s)\n", r.Input, verdict, r.Report.Format)
	if r.Report.ID != "" {
		fmt.Fprintf(w, "  credential %s\n", r.Report.ID)
	}
	if r.Report.Issuer != "" {
		fmt.Fprintf(w, "  issued by  %s\n", issuerLabel(r.Report))
		fmt.Fprintf(w, "  trusted    %s\n", trustLabel(r.Report))
	}
	for _, c := range r.Report.Checks {
		fmt.Fprintf(w, "  %s %-9s %s\n", marks[c.Outcome], c.Name, c.Message)
	}
	fmt.Fprintln(w)
}

func trustLabel(r *verifier.Report) string {
	if r.Trusted {
		return "yes, as " + r.TrustedAs
	}
	return "no: the issuer is not on your trusted list (an unknown issuer, not an invalid badge)"
}

// parsePairs reads KEY=VALUE flags into a map.
func parsePairs(flag string, pairs []string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range pairs {
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%s %q: want KEY=VALUE", flag, pair)
		}
		out[k] = v
	}
	return out, nil
}

func issuerLabel(r *verifier.Report) string {
	if r.IssuerName == "" {
		return r.Issuer
	}
	return r.IssuerName + " (" + r.Issuer + ")"
}

// statusFetch serves the status lists named with --status-list from their
// files, and fetches the others with remote (when not offline).
func (o *verifyOptions) statusFetch(remote verifier.Fetch) (verifier.Fetch, error) {
	files, err := parsePairs("--status-list", o.lists)
	if err != nil {
		return nil, err
	}
	if slices.Contains(slices.Collect(maps.Values(files)), "-") {
		return nil, fmt.Errorf("--status-list: a list cannot come from standard input")
	}
	return func(ctx context.Context, url string) ([]byte, error) {
		if file, ok := files[url]; ok {
			return readInput(nil, file)
		}
		if remote == nil {
			return nil, fmt.Errorf("no copy of the status list at %s (give one with --status-list)", url)
		}
		return remote(ctx, url)
	}, nil
}
