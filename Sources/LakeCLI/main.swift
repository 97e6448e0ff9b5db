import Lake
print("lake")
