// Package phone is the phone channel: call events from a call-centre
// platform's HTTP callbacks (one signed webhook per configured line, with a
// per-line field mapping), call-detail records imported from CSV (Asterisk
// Master.csv, FreeSWITCH cdr_csv, or any file with a header), caller number
// normalisation, and the signed request of click-to-call. It knows the
// channels envelopes (channels.Call) and the CallSink it hands events to,
// never the store. The setup is described in docs/phone.md.
package phone
