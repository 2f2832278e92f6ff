use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(crate = wecard_derive_ui::wecard)]
union Student {
    card_number: u32,
    name: u32,
}

fn main() {}
