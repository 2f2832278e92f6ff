use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(crate = generated_example::wecard)]
enum Student {
    Undergraduate { card_number: String, name: String },
}

fn main() {}
