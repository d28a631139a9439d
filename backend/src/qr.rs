//! QR codes drawn on the server as SVG: the class link of a meeting, the TOTP secret of an
//! authenticator app. The front end only shows the picture.

/// An SVG QR code of `text`, black on white with its quiet zone, at least `size` pixels square.
pub fn svg(text: &str, size: u32) -> anyhow::Result<String> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| anyhow::anyhow!("making a QR code: {e}"))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(size, size)
        .quiet_zone(true)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build()
        // The renderer already asks for crisp edges; an attribute written twice breaks the XML.
        .replacen("<svg ", "<svg role=\"img\" aria-label=\"QR\" ", 1);
    Ok(svg)
}
