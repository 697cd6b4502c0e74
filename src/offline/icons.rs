//! The portal's icon for home screens and tabs, drawn at build: the header's brand mark (a white
//! disc in a red ring) on the header's blue, as SVG and as the PNG sizes phones ask for.

use crate::output::fingerprint;
use crate::output::OutFile;

/// Where the icons are written, under `assets/` with their content's hash in the name.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Icons {
    pub svg: String,
    pub png192: String,
    pub png512: String,
}

const BLUE: [u8; 3] = [0x1d, 0x4f, 0x91];
const RED: [u8; 3] = [0xb3, 0x26, 0x1e];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];
/// Radii as parts of the side: the ring, and the disc inside it. The mark stays inside the
/// middle 80 %, so a phone that cuts the icon round keeps it whole.
const RING: f64 = 0.32;
const DISC: f64 = 0.145;

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\"><rect width=\"100\" height=\"100\" fill=\"#1d4f91\"/><circle cx=\"50\" cy=\"50\" r=\"32\" fill=\"#b3261e\"/><circle cx=\"50\" cy=\"50\" r=\"14.5\" fill=\"#fff\"/></svg>\n";

impl Icons {
    /// The icons and their files.
    pub fn make() -> (Icons, Vec<OutFile>) {
        let named = |stem: &str, ext: &str, bytes: Vec<u8>| {
            let path = format!("assets/{stem}.{}.{ext}", fingerprint(&bytes));
            (path.clone(), OutFile { path, bytes })
        };
        let (svg, svg_file) = named("icon", "svg", SVG.as_bytes().to_vec());
        let (png192, f192) = named("icon-192", "png", png(192));
        let (png512, f512) = named("icon-512", "png", png(512));
        (Icons { svg, png192, png512 }, vec![svg_file, f192, f512])
    }
}

/// The colour of the pixel whose centre is `d` pixels from the icon's centre, on a side of
/// `side` pixels: each circle's edge covers a pixel by how far it reaches into it, so edges
/// come out smooth from one look at each pixel.
fn colour(d: f64, side: f64) -> [u8; 3] {
    let cover = |r: f64| (r * side - d + 0.5).clamp(0.0, 1.0);
    let (ring, disc) = (cover(RING), cover(DISC));
    let mix = |i: usize| {
        let outer = f64::from(RED[i]) * ring + f64::from(BLUE[i]) * (1.0 - ring);
        (f64::from(WHITE[i]) * disc + outer * (1.0 - disc)).round() as u8
    };
    [mix(0), mix(1), mix(2)]
}

/// The icon as an RGB PNG of `side` pixels.
fn png(side: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((side * side * 3) as usize);
    let centre = f64::from(side) / 2.0;
    for py in 0..side {
        for px in 0..side {
            let (x, y) = (f64::from(px) + 0.5 - centre, f64::from(py) + 0.5 - centre);
            pixels.extend(colour((x * x + y * y).sqrt(), f64::from(side)));
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Writing to memory cannot fail but for a wrong size, which the loops above rule out.
    if let Ok(mut writer) = encoder.write_header() {
        let _ = writer.write_image_data(&pixels);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_are_pngs_of_their_size_with_the_mark_in_the_middle() {
        let (icons, files) = Icons::make();
        assert!(icons.png192.starts_with("assets/icon-192.") && icons.png192.ends_with(".png"));
        let f = files.iter().find(|f| f.path == icons.png512).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&f.bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (512, 512));
        let at = |x: usize, y: usize| &buf[(y * 512 + x) * 3..(y * 512 + x) * 3 + 3];
        assert_eq!(at(256, 256), WHITE);
        assert_eq!(at(256, 256 - 100), RED);
        assert_eq!(at(5, 5), BLUE);
    }
}
