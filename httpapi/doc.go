// Package httpapi is Laurel's HTTP transport: the one route table (see
// Server.routes), the one place where errors become HTTP answers (see
// classify), and the middleware every request passes through.
//
// # Routes
//
//	GET  /healthz               the process is up
//	GET  /readyz                the dependencies are ready (Config.Ready)
//	GET  /metrics               Prometheus text exposition
//	POST /credentials/issue     W3C VC API, VC-API.md §2; needs scope credentials:issue
//	POST /credentials/verify    W3C VC API, VC-API.md §3; public
//	POST /presentations/verify  W3C VC API, VC-API.md §4; public
//
// Laurel's own API will live under /api/v1 in the same table.
//
// # Problems
//
// Every failure answers with an RFC 9457 problem details object
// (application/problem+json) holding type, title, status, detail and a
// stable code, such as "request.too_large". The type is ProblemTypeBase
// followed by the code. A client's mistake is a 4xx with a detail saying
// what to change; a server-side failure is a 5xx whose detail gives only
// the request id, while the cause is logged under that id.
//
// A verification that fails is not a problem but a result: 400 with
// {"verified": false, "problemDetails": [...]}, one entry per failed check,
// typed with the VC Data Model 2.0 §7.1 problem types where they fit.
//
// # Decisions where the VC API leaves a choice
//
//   - Issuing authorizes before it reads the body, so an authorized client
//     with bad input gets 400 or 422, never 401. Without an Authorizer no
//     one may issue.
//   - Data model violations answer 400, as the VC API lists; a well-formed
//     request Laurel cannot honour answers 422: a credential naming another
//     issuer, or any issue option. Status lists are not built yet, so
//     options.credentialStatus is refused with 422 and a message saying so.
//   - A credential that already carries a proof is refused: Laurel would
//     sign beside a proof it has not checked.
//   - relatedResource entries are checked for shape (URL ids, no repeats, a
//     well-formed digestSRI or digestMultibase), but digests are not
//     compared with the resources: that needs fetching them, which issuing
//     does not do.
//   - Verifying always runs every check. options.checks only decides which
//     checks that could not be made (credentialStatus, for now) are
//     reported as warnings. Unknown verify options are ignored with a
//     warning; unknown issue options are refused.
//   - Verification runs in a bounded pool (Config.VerifyConcurrency). A
//     request that finds it full waits up to Config.VerifyWait, then gets
//     503 with Retry-After, so a flood slows answers but cannot exhaust
//     the server.
//   - A presentation must be signed, with proofPurpose authentication and
//     the challenge and domain of the options when given; an unsigned one
//     fails (see verifier.Verifier.VerifyPresentation).
//
// # Known limitations
//
//   - Duplicate member names in a request body are not refused (the last
//     one wins, as encoding/json decides).
//   - The problem type URIs are stable identifiers, but the pages they name
//     are not published yet.
//   - /metrics is public; deployments that mind should block it at the
//     proxy. Connection timeouts (slow clients) are the http.Server's job,
//     set by the caller.
package httpapi
