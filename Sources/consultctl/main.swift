print("consultctl")
