from litreview.cli import main

main()
