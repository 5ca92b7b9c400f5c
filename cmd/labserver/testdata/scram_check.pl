# Log in to labserver with SCRAM through Authen::SCRAM::Client, a SCRAM
# client not written here (Debian's libauthen-scram-perl).
#
# Usage: perl scram_check.pl PROTO HOST PORT USER PASSWORD DIGEST
# PROTO is "imap" or "pop3", DIGEST "SHA-1" or "SHA-256". Prints the
# server's final answer as "result: LINE", and "signature: valid" once
# the client has checked the server's signature.
use strict;
use warnings;
use IO::Socket::INET;
use MIME::Base64 qw(encode_base64 decode_base64);
use Authen::SCRAM::Client;

my ($proto, $host, $port, $user, $pass, $digest) = @ARGV;
my $sock = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port, Timeout => 20)
    or die "connect: $!\n";
$sock->autoflush(1);

sub line {
    my $l = <$sock>;
    die "connection closed\n" unless defined $l;
    $l =~ s/\r?\n\z//;
    return $l;
}

sub send_line { print $sock "$_[0]\r\n" }

sub b64 { encode_base64($_[0], '') }

my $greeting = line();
my ($start, $done_re);
if ($proto eq 'imap') {
    $start   = "a1 AUTHENTICATE SCRAM-$digest";
    $done_re = qr/^a1 /;
} else {
    $start   = "AUTH SCRAM-$digest";
    $done_re = qr/^[+-](OK|ERR)/;
}

my $client = Authen::SCRAM::Client->new(username => $user, password => $pass, digest => $digest);
send_line($start);
my $l = line();
die "no continuation: $l\n" unless $l =~ /^\+ ?$/;
send_line(b64($client->first_msg()));
$l = line();
die "no server-first message: $l\n" unless $l =~ /^\+ (\S+)$/;
send_line(b64($client->final_msg(decode_base64($1))));
$l = line();
if ($l =~ /^\+ (\S+)$/) {
    $client->validate(decode_base64($1)) or die "the server's signature is wrong\n";
    print "signature: valid\n";
    send_line('');
    $l = line();
}
print "result: $l\n";
send_line($proto eq 'imap' ? 'a2 LOGOUT' : 'QUIT');
