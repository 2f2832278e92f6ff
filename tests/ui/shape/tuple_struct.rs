use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(crate = generated_example::wecard)]
struct Student(String, String);

fn main() {}
