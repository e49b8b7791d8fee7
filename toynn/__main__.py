from toynn.cli import console

console()
