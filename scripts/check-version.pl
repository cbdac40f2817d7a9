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

# The PostgreSQL prerequisite is the floor that src/compat.h enforces, so that
# PGXN clients never try a server the C code refuses to build against.
open my $ch, '<', 'src/compat.h' or die "src/compat.h: $!\n";
my ($floor) = map { /^#if PG_VERSION_NUM < (\d+)0000$/ ? $1 : () } <$ch>;
die "src/compat.h states no PostgreSQL floor (#if PG_VERSION_NUM < NN0000)\n" unless $floor;
my $pg = $meta->{prereqs}{runtime}{requires}{PostgreSQL} // 'missing';
die "META.json prereqs.runtime.requires.PostgreSQL is $pg but src/compat.h needs $floor.0.0\n"
    unless $pg eq "$floor.0.0";

# meta-spec 1.0.0: a repository resource needs url and type, or web.
if (my $repo = $meta->{resources}{repository}) {
    die "META.json resources.repository needs url and type, or web\n"
        unless ($repo->{url} && $repo->{type}) || $repo->{web};
}
