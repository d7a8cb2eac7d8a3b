package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/issuer"
)

type issueOptions struct {
	office      officeOptions
	achievement string
	csvFile     string
	workers     int
}

func newIssueCmd() *cobra.Command {
	o := &issueOptions{}
	cmd := &cobra.Command{
		Use:   "issue --achievement ID --csv ROSTER.csv",
		Short: "Award an achievement to every teacher in a roster",
		Long: `Issue awards an achievement to each row of a CSV roster with the columns email and
name (a header row names them). It is idempotent per row: running it again issues
nothing twice. Each issued credential is reported on standard output as soon as it is
stored; a progress bar and the summary go to standard error.`,
		Args: cobra.NoArgs,
		RunE: o.run,
	}
	o.office.addFlags(cmd)
	cmd.Flags().StringVar(&o.achievement, "achievement", "", "achievement id")
	cmd.Flags().StringVar(&o.csvFile, "csv", "", "roster CSV (email,name)")
	cmd.Flags().IntVar(&o.workers, "workers", 16, "awards signed and committed at once (commits are batched)")
	_ = cmd.MarkFlagRequired("achievement")
	_ = cmd.MarkFlagRequired("csv")
	return cmd
}

// rosterRow is one teacher to award.
type rosterRow struct {
	line  int
	email string
	name  string
}

// rowResult is the outcome of one row.
type rowResult struct {
	row    rosterRow
	credID string
	issued bool
	err    error
}

func (o *issueOptions) run(cmd *cobra.Command, _ []string) error {
	rows, err := readRoster(o.csvFile)
	if err != nil {
		return usageError(err)
	}

	off, err := o.office.open(cmd.Context(), discardLogger())
	if err != nil {
		return err
	}
	defer off.Close()

	admin := &issuer.User{ID: "cli", Name: "laurel issue", Role: issuer.RoleAdmin}
	if _, err := off.svc.Achievement(o.achievement); err != nil {
		return usageError(fmt.Errorf("achievement %s: %w", o.achievement, err))
	}

	results := o.award(cmd.Context(), off.svc, admin, rows, cmd.OutOrStdout(), cmd.ErrOrStderr())
	return summarize(cmd.ErrOrStderr(), results)
}

// award runs the rows through a pool of workers so that bbolt can batch
// their commits, printing each result as soon as it is durable.
func (o *issueOptions) award(ctx context.Context, svc *issuer.Service, admin *issuer.User, rows []rosterRow,
	stdout, stderr io.Writer) []rowResult {
	jobs := make(chan rosterRow)
	out := make(chan rowResult)
	var wg sync.WaitGroup
	for range max(1, o.workers) {
		wg.Go(func() {
			for row := range jobs {
				to := issuer.Recipient{Email: row.email, Name: row.name}
				cred, issued, err := svc.Award(ctx, admin, o.achievement, to)
				res := rowResult{row: row, issued: issued, err: err}
				if cred != nil {
					res.credID = cred.ID
				}
				out <- res
			}
		})
	}
	go func() {
		for _, r := range rows {
			jobs <- r
		}
		close(jobs)
		wg.Wait()
		close(out)
	}()

	results := make([]rowResult, 0, len(rows))
	for res := range out {
		results = append(results, res)
		report(stdout, res)
		progress(stderr, len(results), len(rows))
	}
	fmt.Fprintln(stderr)
	return results
}

func report(w io.Writer, r rowResult) {
	switch {
	case r.err != nil:
		fmt.Fprintf(w, "line %d\t%s\tfailed\t%v\n", r.row.line, r.row.email, r.err)
	case r.issued:
		fmt.Fprintf(w, "line %d\t%s\tissued\t%s\n", r.row.line, r.row.email, r.credID)
	default:
		fmt.Fprintf(w, "line %d\t%s\tskipped\t%s (already issued)\n", r.row.line, r.row.email, r.credID)
	}
}

func progress(w io.Writer, done, total int) {
	const width = 30
	filled := width * done / max(total, 1)
	fmt.Fprintf(w, "\r[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), done, total)
}

func summarize(w io.Writer, results []rowResult) error {
	var issued, skipped, failed int
	for _, r := range results {
		switch {
		case r.err != nil:
			failed++
		case r.issued:
			issued++
		default:
			skipped++
		}
	}
	fmt.Fprintf(w, "issued %d, skipped %d, failed %d\n", issued, skipped, failed)
	if failed > 0 {
		return &exitError{code: exitInvalid, msg: fmt.Sprintf("%d rows failed", failed)}
	}
	return nil
}

// readRoster reads email,name rows; a first row naming the columns is a
// header and may list them in any order.
func readRoster(path string) ([]rosterRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	r := csv.NewReader(io.LimitReader(f, 32<<20))
	r.FieldsPerRecord = -1
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(records) == 0 {
		return nil, errors.New("the roster is empty")
	}

	emailCol, nameCol, start := 0, 1, 0
	for i, h := range records[0] {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "email":
			emailCol, start = i, 1
		case "name":
			nameCol, start = i, 1
		}
	}

	rows := make([]rosterRow, 0, len(records)-start)
	for i, rec := range records[start:] {
		row := rosterRow{line: i + start + 1, email: field(rec, emailCol), name: field(rec, nameCol)}
		rows = append(rows, row)
	}
	return rows, nil
}

func field(rec []string, i int) string {
	if i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}
