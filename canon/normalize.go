package canon

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/piprate/json-gold/ld"
)

// statement is one statement of a canonical dataset and its N-Quads line.
type statement struct {
	quad *ld.Quad
	line []byte
}

// canonicalForm is a dataset after RDFC-1.0: its statements with canonical
// blank node labels (_:c14n0, _:c14n1, ...), in canonical order.
type canonicalForm []statement

// size is the length of the canonical N-Quads.
func (f canonicalForm) size() int {
	n := 0
	for _, st := range f {
		n += len(st.line)
	}
	return n
}

// writeTo writes the canonical N-Quads, line by line.
func (f canonicalForm) writeTo(w io.Writer) error {
	for _, st := range f {
		if _, err := w.Write(st.line); err != nil {
			return err
		}
	}
	return nil
}

// normalize canonicalizes ds (RDFC-1.0 §4.4) and changes the blank nodes of
// ds's statements to their canonical labels.
//
// It follows the W3C reference implementation (rdf-canonize) wherever the
// specification leaves a choice: each statement is listed once per blank
// node it names, blank nodes are visited in the order the statements first
// name them, and ties between equal paths go to the first permutation in
// Steinhaus–Johnson–Trotter order. The statements come in jsonld.js's
// order: graphs by name, the default graph first. So a
// document signed with rdf-canonize gets the same canonical form here even
// on the rare graphs where RDFC-1.0's result depends on those choices.
//
// RDFC-1.0 may try every order of look-alike blank nodes, recursively;
// normalize gives up with ErrLimit after work runs of Hash N-Degree Quads
// and permutations tried (Limits.MaxHashWork), as the reference
// implementation gives up after a number of runs.
func normalize(ds *ld.RDFDataset, work int) (canonicalForm, error) {
	quads := datasetQuads(ds)
	g := newBlankGraph(quads)
	g.workLeft = work

	groups := g.firstDegreeGroups()
	var twins [][]int
	for _, group := range groups {
		if len(group) == 1 {
			g.canonical.issue(group[0])
			continue
		}
		twins = append(twins, group)
	}

	for _, group := range twins {
		if err := g.labelTwins(group); err != nil {
			return nil, err
		}
	}

	g.relabel(quads)
	form := sortedForm(quads)
	if unique, repeated := form.withoutRepeats(); repeated {
		// A dataset is a set: a statement given twice is one statement, and
		// counting it twice would have changed the hashes. Relabelling maps
		// equal statements to equal lines, so this pass finds every repeat.
		return normalize(datasetOf(unique), work)
	}
	return form, nil
}

// withoutRepeats returns the statements of f with each line once, and
// whether any line was repeated.
func (f canonicalForm) withoutRepeats() ([]*ld.Quad, bool) {
	var unique []*ld.Quad
	for i, st := range f {
		if i > 0 && bytes.Equal(st.line, f[i-1].line) {
			continue
		}
		unique = append(unique, st.quad)
	}
	return unique, len(unique) < len(f)
}

// datasetOf puts quads into the graphs their Graph names.
func datasetOf(quads []*ld.Quad) *ld.RDFDataset {
	ds := ld.NewRDFDataset()
	for _, q := range quads {
		name := "@default"
		if q.Graph != nil {
			name = q.Graph.GetValue()
		}
		ds.Graphs[name] = append(ds.Graphs[name], q)
	}
	return ds
}

// datasetQuads lists the statements of every graph of ds, graphs in code
// point order of their names ("@default" first, "_:" labels before most
// IRIs), as jsonld.js orders its dataset.
func datasetQuads(ds *ld.RDFDataset) []*ld.Quad {
	names := make([]string, 0, len(ds.Graphs))
	n := 0
	for name, graph := range ds.Graphs {
		names = append(names, name)
		n += len(graph)
	}
	slices.Sort(names)

	quads := make([]*ld.Quad, 0, n)
	for _, name := range names {
		quads = append(quads, ds.Graphs[name]...)
	}
	return quads
}

// blankNode is one blank node of the dataset being canonicalized.
type blankNode struct {
	label string     // its label in the input, such as "_:b0"
	quads []*ld.Quad // the statements naming it, each once
	hash  string     // its first-degree hash, in hexadecimal
}

// blankGraph is the state of RDFC-1.0 (§4.2): the blank nodes, numbered in
// the order the statements first name them, and the canonical issuer.
type blankGraph struct {
	nodes     []blankNode
	index     map[string]int
	canonical issuer
	// workLeft is how many more runs of Hash N-Degree Quads and
	// permutations they try normalize allows.
	workLeft int
}

// newBlankGraph builds the blank node to quads map (§4.4 step 2).
func newBlankGraph(quads []*ld.Quad) *blankGraph {
	g := &blankGraph{index: map[string]int{}}
	for _, q := range quads {
		for _, n := range [...]ld.Node{q.Subject, q.Object, q.Graph} {
			bn, ok := n.(ld.BlankNode)
			if !ok {
				continue
			}
			i, seen := g.index[bn.Attribute]
			if !seen {
				i = len(g.nodes)
				g.index[bn.Attribute] = i
				g.nodes = append(g.nodes, blankNode{label: bn.Attribute})
			}
			if qs := g.nodes[i].quads; len(qs) == 0 || qs[len(qs)-1] != q {
				g.nodes[i].quads = append(qs, q)
			}
		}
	}
	g.canonical = issuer{prefix: "_:c14n", issued: make([]int, 0, len(g.nodes))}
	return g
}

// firstDegreeGroups hashes every blank node (§4.6) and returns the blank
// nodes grouped by hash, groups in the order of their hashes and each in
// the order of the nodes (§4.4 steps 3 to 5).
func (g *blankGraph) firstDegreeGroups() [][]int {
	var buf []byte
	for i := range g.nodes {
		var sum [sha256.Size]byte
		sum, buf = firstDegreeHash(g.nodes[i].label, g.nodes[i].quads, buf)
		g.nodes[i].hash = hex.EncodeToString(sum[:])
	}

	order := make([]int, len(g.nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return compareStrings(g.nodes[a].hash, g.nodes[b].hash)
	})

	var groups [][]int
	for i, n := range order {
		if i > 0 && g.nodes[n].hash == g.nodes[order[i-1]].hash {
			groups[len(groups)-1] = append(groups[len(groups)-1], n)
			continue
		}
		groups = append(groups, []int{n})
	}
	return groups
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// firstDegreeHash is the Hash First Degree Quads algorithm (RDFC-1.0 §4.6):
// SHA-256 of the sorted N-Quads of the statements that name label, with
// label itself written _:a and every other blank node _:z. buf is scratch
// space, returned for reuse.
func firstDegreeHash(label string, qs []*ld.Quad, buf []byte) ([sha256.Size]byte, []byte) {
	self := label[len("_:"):]
	name := func(other string) string {
		if other == self {
			return "a"
		}
		return "z"
	}

	buf = buf[:0]
	ends := make([]int, len(qs))
	for i, q := range qs {
		buf = appendQuad(buf, q, name)
		ends[i] = len(buf)
	}
	lines := cutLines(buf, ends)
	slices.SortFunc(lines, bytes.Compare)

	h := sha256.New()
	for _, line := range lines {
		h.Write(line)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum, buf
}

// relabel gives every blank node of quads its canonical label (§4.4 step
// 7). Nodes are values, so each changed position gets a new node.
func (g *blankGraph) relabel(quads []*ld.Quad) {
	relabel := func(n ld.Node) ld.Node {
		if bn, ok := n.(ld.BlankNode); ok {
			id, _ := g.canonical.id(g.index[bn.Attribute])
			return ld.NewBlankNode(id)
		}
		return n
	}
	for _, q := range quads {
		q.Subject = relabel(q.Subject)
		q.Object = relabel(q.Object)
		if q.Graph != nil {
			q.Graph = relabel(q.Graph)
		}
	}
}

// issuer is an identifier issuer (§4.3) over blank node numbers. It keeps
// only the issue order, so that copying one, which Hash N-Degree Quads does
// for every permutation it tries, is a small copy; the few lookups scan it.
type issuer struct {
	prefix string
	issued []int
}

// id returns the identifier issued to node, if any.
func (is *issuer) id(node int) (string, bool) {
	i := slices.Index(is.issued, node)
	if i < 0 {
		return "", false
	}
	return is.prefix + strconv.Itoa(i), true
}

// issue returns node's identifier, issuing the next one if it has none.
func (is *issuer) issue(node int) string {
	if id, ok := is.id(node); ok {
		return id
	}
	is.issued = append(is.issued, node)
	return is.prefix + strconv.Itoa(len(is.issued)-1)
}

func (is issuer) clone() issuer {
	return issuer{prefix: is.prefix, issued: slices.Clone(is.issued)}
}

// labelTwins issues canonical identifiers to a group of blank nodes that
// share a first-degree hash (§4.4 step 6), in the order of their N-degree
// hashes.
func (g *blankGraph) labelTwins(group []int) error {
	type result struct {
		hash   string
		issuer issuer
	}

	var results []result
	for _, n := range group {
		if _, done := g.canonical.id(n); done {
			continue
		}
		temp := issuer{prefix: "_:b"}
		temp.issue(n)
		hash, is, err := g.hashNDegree(n, temp)
		if err != nil {
			return err
		}
		results = append(results, result{hash, is})
	}

	slices.SortStableFunc(results, func(a, b result) int { return compareStrings(a.hash, b.hash) })
	for _, r := range results {
		for _, n := range r.issuer.issued {
			g.canonical.issue(n)
		}
	}
	return nil
}

// errTooDeep is the ErrLimit of a graph whose twins need more N-degree
// hashing than normalize allows.
var errTooDeep = fmt.Errorf("%w: blank nodes too alike to canonicalize in reasonable time", ErrLimit)

// sortedForm writes canonically labelled statements in N-Quads, into one
// buffer, and sorts them by their lines in code point order (§4.4 step 8).
func sortedForm(quads []*ld.Quad) canonicalForm {
	buf := make([]byte, 0, 128*len(quads))
	ends := make([]int, len(quads))
	for i, q := range quads {
		buf = appendQuad(buf, q, nil)
		ends[i] = len(buf)
	}

	form := make(canonicalForm, len(quads))
	for i, line := range cutLines(buf, ends) {
		form[i] = statement{quad: quads[i], line: line}
	}
	slices.SortFunc(form, func(x, y statement) int { return bytes.Compare(x.line, y.line) })
	return form
}

// cutLines cuts buf at the given ends into lines that share its memory.
func cutLines(buf []byte, ends []int) [][]byte {
	lines := make([][]byte, len(ends))
	start := 0
	for i, end := range ends {
		lines[i] = buf[start:end:end]
		start = end
	}
	return lines
}
