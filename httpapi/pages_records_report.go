package httpapi

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/laurel-badges/laurel/issuer"
)

// creditSpan is the days a report covers, first and last included, in
// UTC.
type creditSpan struct {
	first, last time.Time
}

// end is the first instant after the span, the office's exclusive bound.
func (c creditSpan) end() time.Time { return dayAfter(c.last) }

// creditSpanOf reads a report's from and to dates; either left out means
// the bound of the current school year (1 July to 30 June), the period
// states count professional-learning hours in.
func (s *Server) creditSpanOf(q url.Values) (creditSpan, error) {
	from, to := issuer.SchoolYearSpan(s.now().UTC())
	span := creditSpan{first: from, last: to.AddDate(0, 0, -1)}

	first, err := parseDay("from", q.Get("from"))
	if err != nil {
		return span, err
	}
	last, err := parseDay("to", q.Get("to"))
	if err != nil {
		return span, err
	}
	if !first.IsZero() {
		span.first = first
	}
	if !last.IsZero() {
		span.last = last
	}
	if span.first.After(span.last) {
		return span, fmt.Errorf("%w: the from date is after the to date", issuer.ErrInvalid)
	}
	return span, nil
}

// recordsReportPage is what the report page shows.
type recordsReportPage struct {
	// From and To are the dates as the form shows them.
	From, To string
	// Year names the school year when the span is exactly one.
	Year  string
	Lines []recordsCreditLine
	// Badges and Hours are the totals of every line.
	Badges  int
	Hours   float64
	CSVPath string
	Error   string
}

// recordsCreditLine is one teacher's line, with their credentials ready
// to link.
type recordsCreditLine struct {
	issuer.CreditLine
	Rows []recordsCredential
}

// recordsReport shows the credit hours each teacher earned in a span of
// days, with the credentials that count.
func (s *Server) recordsReport(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	span, err := s.creditSpanOf(q)
	if err != nil {
		page := recordsReportPage{From: q.Get("from"), To: q.Get("to"), Error: plainMessage(err)}
		s.render(w, r, v, http.StatusBadRequest, "records_report", "Credit report", page)
		return
	}
	lines, err := s.office.CreditReport(v.user(), span.first, span.end())
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	s.render(w, r, v, http.StatusOK, "records_report", "Credit report", s.reportPage(span, lines))
}

// reportPage lays out a report: its lines, totals and export link.
func (s *Server) reportPage(span creditSpan, lines []issuer.CreditLine) recordsReportPage {
	from, to := span.first.Format(dateLayout), span.last.Format(dateLayout)
	dates := url.Values{"from": {from}, "to": {to}}
	page := recordsReportPage{From: from, To: to, CSVPath: "/admin/report.csv?" + dates.Encode()}
	start, end := issuer.SchoolYearSpan(span.first)
	if start.Equal(span.first) && end.Equal(span.end()) {
		page.Year = issuer.SchoolYear(span.first)
	}

	now := s.now()
	for _, line := range lines {
		rows := credentialRows(line.Credentials, now)
		page.Lines = append(page.Lines, recordsCreditLine{CreditLine: line, Rows: rows})
		page.Badges += len(line.Credentials)
		page.Hours += line.Hours
	}
	return page
}

// recordsReportCSV exports the report, one row per credential that
// counts, for a spreadsheet or the state's records.
func (s *Server) recordsReportCSV(w http.ResponseWriter, r *http.Request, v *visit) {
	span, err := s.creditSpanOf(r.URL.Query())
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}
	lines, err := s.office.CreditReport(v.user(), span.first, span.end())
	if err != nil {
		s.pageError(w, r, v, err)
		return
	}

	// Written whole before sending, so a failure is an error page, not
	// half a file.
	var buf bytes.Buffer
	if err := s.writeCreditCSV(&buf, lines); err != nil {
		s.pageError(w, r, v, err)
		return
	}
	name := fmt.Sprintf("laurel-credit-report-%s-%s.csv", span.first.Format(dateLayout),
		span.last.Format(dateLayout))
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, _ = buf.WriteTo(w)
}

// creditCSVHeader names the export's columns.
var creditCSVHeader = []string{"Teacher", "Email", "Achievement", "Issued", "Credit hours",
	"Credential ID", "Credential URL", "Issuer"}

// writeCreditCSV writes the report's rows. It starts with a byte order
// mark, without which spreadsheet programs read UTF-8 names as another
// encoding.
func (s *Server) writeCreditCSV(w io.Writer, lines []issuer.CreditLine) error {
	rows := [][]string{creditCSVHeader}
	issuers := map[string]string{}
	for _, line := range lines {
		for _, c := range line.Credentials {
			hours := strconv.FormatFloat(c.Credits, 'f', -1, 64)
			rows = append(rows, csvCells(line.Name, line.Email, c.AchievementName,
				c.IssuedAt.UTC().Format(dateLayout), hours, c.ID, s.office.CredentialURL(c.ID),
				s.issuerName(issuers, c.IssuerID)))
		}
	}

	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("writing the credit report: %w", err)
	}
	if err := csv.NewWriter(w).WriteAll(rows); err != nil {
		return fmt.Errorf("writing the credit report: %w", err)
	}
	return nil
}

// issuerName returns the name of issuer id, read once per export.
func (s *Server) issuerName(cache map[string]string, id string) string {
	name, ok := cache[id]
	if !ok {
		name = id
		if iss, err := s.office.Issuer(id); err == nil {
			name = iss.Profile.Name
		}
		cache[id] = name
	}
	return name
}

// csvCells guards cells against formula injection (OWASP, "CSV
// Injection"): a spreadsheet runs a cell that starts with = + - @, tab or
// carriage return as a formula, so such a cell gets a leading quote and
// reads as text. A teacher's name is theirs to choose.
func csvCells(cells ...string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}
