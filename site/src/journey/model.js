// What the journey view reads out of the mail path's events and hop
// transcripts: the boxes of the route and how far the message got, each
// hop's envelope, the header's lines that tell the journey. Pure
// functions of their arguments, so the picture cannot say more than the
// events do.

const bare = (a) => String(a || '').replace(/^<|>$/g, '');

// recipientDomain is the domain the message drawn is going to: the one
// its MTA looked up, or, before any, the first other domain with users.
export function recipientDomain(st, events) {
  const lookup = events.find((e) => e.kind === 'lookup');
  if (lookup) return lookup.domain;
  const sub = events.find((e) => e.kind === 'submitted');
  const rcpt = sub?.rcpts?.[0];
  if (rcpt && rcpt.includes('@')) return rcpt.split('@').pop().toLowerCase();
  const other = st.domains.slice(1).find((d) => (d.users || []).length);
  return other ? other.name : st.domains[0]?.name || '';
}

// route lists the boxes of the journey, in order, each {role, name,
// priority, status}: status is idle (not reached), active (a session
// is open to it), done (it passed the message on), down (it did not
// answer), failed (it refused the message for now or for good).
export function route(st, events, read) {
  const of = (kind, pred = () => true) => events.filter((e) => e.kind === kind && pred(e));
  const [sub] = of('submitted');
  const first = st.domains[0] || { name: '', users: [] };
  const rd = recipientDomain(st, events);
  const dom = st.domains.find((d) => d.name.toLowerCase() === rd) || { name: rd, mx: [] };
  const [lookup] = of('lookup');
  const records = (lookup?.records || [...(dom.mx || [])].sort((a, b) => a.priority - b.priority));
  const failed = of('deferred').length + of('bounced').length > 0;
  const hops = of('hop');
  const lastSMTP = hops.filter((e) => e.proto === 'smtp').pop();
  const boxes = [];
  boxes.push({ role: 'mua', name: sub ? bare(sub.from) : `${(first.users || [])[0] || ''}@${first.name}`, status: sub ? 'done' : 'idle' });
  boxes.push({ role: 'msa', name: sub?.host || first.mta || `smtp.${first.name}`, status: sub ? 'done' : 'idle' });
  for (const r of records) {
    const host = r.host.toLowerCase();
    let status = 'idle';
    if (of('unreachable', (e) => e.peer === host).length) status = 'down';
    if (hops.some((e) => e.peer === host)) status = 'active';
    if (of('relayed', (e) => e.peer === host).length) status = 'done';
    else if (failed && lastSMTP?.peer === host) status = 'failed';
    boxes.push({ role: 'mx', name: host, priority: r.priority, status });
  }
  const lmtp = hops.find((e) => e.proto === 'lmtp');
  const delivered = of('delivered').pop();
  boxes.push({ role: 'lda', name: lmtp?.peer || dom.lda || `lmtp.${rd}`, status: delivered ? 'done' : lmtp ? (failed ? 'failed' : 'active') : 'idle' });
  const rcpt = delivered?.rcpt || (sub?.rcpts || []).find((r) => r.toLowerCase().endsWith('@' + rd)) || (sub ? '' : `${(dom.users || [])[0] || ''}@${rd}`);
  boxes.push({ role: 'mailbox', name: bare(rcpt), status: delivered ? 'done' : 'idle' });
  boxes.push({ role: 'client', name: 'POP3 / IMAP', status: delivered && read ? 'done' : 'idle' });
  return boxes;
}

// readEnvelope is the envelope a hop's client gave: its MAIL FROM and
// RCPT TO commands (LMTP's too).
export function readEnvelope(lines) {
  return lines.filter((l) => l.dir === 'c' && /^(MAIL FROM|RCPT TO):/i.test(l.line)).map((l) => l.line);
}

const SHOWN = /^(received|return-path|from|sender|to|cc|subject|date|message-id):/i;

// headerLines are the header's fields that tell the journey (From:, To:,
// the Received: chain...), each unfolded onto one line, in order.
export function headerLines(header) {
  const fields = [];
  for (const line of String(header || '').split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1] += ' ' + line.trim();
    else if (line) fields.push(line);
  }
  return fields.filter((f) => SHOWN.test(f));
}
