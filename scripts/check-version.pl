#!/usr/bin/perl
# Fails the build unless META.json carries the version of hookreg.control
# (the one version source) and is PGXN meta-spec 1.0.0.
use strict;
use warnings;
use JSON::PP;

my ($version) = @ARGV;
die "usage: check-version.pl VERSION\n" unless defined $version && length $version;
open my $fh, '<', 'META.json' or die "META.json: $!\n";
my $meta = decode_json(do { local $/; <$fh> });
die "META.json is not PGXN meta-spec 1.0.0\n"
    unless ($meta->{'meta-spec'}{version} // '') eq '1.0.0';
for my $field (['version', $meta->{version}],
               ['provides.hookreg.version', $meta->{provides}{hookreg}{version}]) {
    my ($name, $got) = @$field;
    die "META.json $name is " . ($got // 'missing') . " but hookreg.control says $version\n"
        unless defined $got && $got eq $version;
}
for my $key (qw(name abstract maintainer license provides prereqs)) {
    die "META.json lacks $key\n" unless exists $meta->{$key};
}
