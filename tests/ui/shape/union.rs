use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(crate = generated_example::wecard)]
union Student {
    card_number: u32,
    name: u32,
}

fn main() {}
