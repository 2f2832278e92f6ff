use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(crate = wecard_derive_ui::wecard)]
enum Student {
    Undergraduate { card_number: String, name: String },
}

fn main() {}
