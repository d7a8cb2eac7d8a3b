package canon

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"

	"github.com/piprate/json-gold/ld"
)

// hashNDegree is the Hash N-Degree Quads algorithm (RDFC-1.0 §4.8): a hash
// of node's surroundings, reached through the blank nodes it is related to,
// and the issuer that chose the least path through them.
func (g *blankGraph) hashNDegree(node int, is issuer) (string, issuer, error) {
	if err := g.work(); err != nil {
		return "", issuer{}, err
	}

	related, hashes := g.relatedByHash(node, is)
	h := sha256.New()
	for _, hash := range hashes {
		h.Write([]byte(hash))
		path, chosen, err := g.choosePath(related[hash], is)
		if err != nil {
			return "", issuer{}, err
		}
		h.Write([]byte(path))
		is = chosen
	}
	return hex.EncodeToString(h.Sum(nil)), is, nil
}

// relatedByHash maps the hash of every blank node related to node through
// one of its statements (§4.7) to those related nodes, and lists the hashes
// in order (§4.8 steps 1 to 3).
func (g *blankGraph) relatedByHash(node int, is issuer) (map[string][]int, []string) {
	related := map[string][]int{}
	var hashes []string
	add := func(q *ld.Quad, n ld.Node, position string) {
		bn, ok := n.(ld.BlankNode)
		if !ok {
			return
		}
		other := g.index[bn.Attribute]
		if other == node {
			return
		}
		hash := g.hashRelated(other, q, is, position)
		if related[hash] == nil {
			hashes = append(hashes, hash)
		}
		related[hash] = append(related[hash], other)
	}

	for _, q := range g.nodes[node].quads {
		add(q, q.Subject, "s")
		add(q, q.Object, "o")
		add(q, q.Graph, "g")
	}
	slices.Sort(hashes)
	return related, hashes
}

// hashRelated is the Hash Related Blank Node algorithm (§4.7).
func (g *blankGraph) hashRelated(related int, q *ld.Quad, is issuer, position string) string {
	input := make([]byte, 0, 128)
	input = append(input, position...)
	if position != "g" {
		input = append(input, '<')
		input = append(input, q.Predicate.GetValue()...)
		input = append(input, '>')
	}
	if id, ok := g.canonical.id(related); ok {
		input = append(input, id...)
	} else if id, ok := is.id(related); ok {
		input = append(input, id...)
	} else {
		input = append(input, g.nodes[related].hash...)
	}

	sum := sha256.Sum256(input)
	return hex.EncodeToString(sum[:])
}

// choosePath tries every order of a list of related blank nodes and returns
// the least path through them and the issuer that made it (§4.8 step 5.4).
func (g *blankGraph) choosePath(list []int, is issuer) (string, issuer, error) {
	var chosen string
	var chosenIssuer issuer
	perms := newPermuter(g, list)
	for perm := range perms.all() {
		if err := g.work(); err != nil {
			return "", issuer{}, err
		}
		path, copied, ok, err := g.tryPath(perm, is, chosen)
		if err != nil {
			return "", issuer{}, err
		}
		if ok && (chosen == "" || path < chosen) {
			chosen, chosenIssuer = path, copied
		}
	}
	return chosen, chosenIssuer, nil
}

// tryPath builds the path of one permutation (§4.8 steps 5.4.1 to 5.4.5).
// It gives up, returning false, as soon as the path is greater than chosen,
// since nothing appended can make it less.
func (g *blankGraph) tryPath(perm []int, is issuer, chosen string) (string, issuer, bool, error) {
	copied := is.clone()
	path := make([]byte, 0, 64)
	var recursion []int
	beaten := func() bool { return chosen != "" && string(path) > chosen }

	for _, related := range perm {
		if id, ok := g.canonical.id(related); ok {
			path = append(path, id...)
		} else {
			if _, ok := copied.id(related); !ok {
				recursion = append(recursion, related)
			}
			path = append(path, copied.issue(related)...)
		}
		if beaten() {
			return "", issuer{}, false, nil
		}
	}

	for _, related := range recursion {
		hash, result, err := g.hashNDegree(related, copied)
		if err != nil {
			return "", issuer{}, false, err
		}
		path = append(path, copied.issue(related)...)
		path = append(path, '<')
		path = append(path, hash...)
		path = append(path, '>')
		copied = result
		if beaten() {
			return "", issuer{}, false, nil
		}
	}
	return string(path), copied, true, nil
}

// work spends one unit of the work normalize allows.
func (g *blankGraph) work() error {
	if g.workLeft <= 0 {
		return errTooDeep
	}
	g.workLeft--
	return nil
}
