//! The command line's parsing: serve's flags and the proxies believed.

use clap::Parser;

use super::*;

fn serve_args(args: &[&str]) -> ServeArgs {
    let cli = Cli::try_parse_from([&["jiafang", "serve"], args].concat()).expect("valid arguments");
    match cli.command {
        Command::Serve(args) => args,
        other => panic!("not serve: {other:?}"),
    }
}

#[test]
fn trusted_proxies_are_addresses_or_networks_and_trust_proxy_alone_means_this_host() {
    let args = serve_args(&["--trusted-proxies", "10.0.0.5, 10.1.0.0/16,2001:db8::/48"]);
    let proxies: Vec<String> =
        trusted_proxies(args.trust_proxy, args.trusted_proxies).iter().map(|n| n.to_string()).collect();
    assert_eq!(proxies, ["10.0.0.5/32", "10.1.0.0/16", "2001:db8::/48"]);
    let args = serve_args(&["--trust-proxy"]);
    let proxies: Vec<String> =
        trusted_proxies(args.trust_proxy, args.trusted_proxies).iter().map(|n| n.to_string()).collect();
    assert_eq!(proxies, ["127.0.0.0/8", "::1/128"]);
    assert!(trusted_proxies(false, Vec::new()).is_empty(), "by default X-Forwarded-For is never read");
    assert!(Cli::try_parse_from(["jiafang", "serve", "--trusted-proxies", "proxy.local"]).is_err());
}
